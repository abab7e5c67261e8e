-- Issue 21, decision 0035: per-user journal keys. Each therapist's reflections are sealed under their own
-- random data key (DK). The DK is stored only wrapped: under a key derived from the user's password
-- (argon2id) and, once the user asks for one, under a key derived from a recovery code. A password set
-- through a link (admin link, forgotten password) cannot unwrap the DK: the key becomes 'locked' and the
-- next login starts a new one. A locked key opens again with the previous password or the recovery code.
CREATE TABLE journal_keys (
  id text PRIMARY KEY,                 -- the DK's public fingerprint (keyId in reflection-crypto.ts)
  org_id uuid NOT NULL REFERENCES organisations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  status text NOT NULL CHECK (status IN ('current', 'locked')),
  by_password text,                    -- salt:ciphertext, DK sealed under argon2id(password, salt)
  by_recovery text,                    -- salt:ciphertext, DK sealed under HKDF(recovery code, salt)
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX journal_keys_one_current_idx ON journal_keys (user_id) WHERE status = 'current';

-- The DK of a logged-in session, sealed under a key derived from the session cookie token. The database
-- stores only the token's hash, so a database reader cannot open it; it ends with the session.
ALTER TABLE staff_sessions ADD COLUMN journal_key text;

-- A shared item is copied for its supervisor, sealed under the instance key (the supervisor cannot hold
-- the owner's DK). Shares from before this migration get their copy at the owner's next login.
ALTER TABLE reflection_shares ADD COLUMN key_id text;
ALTER TABLE reflection_shares ADD COLUMN ciphertext text;
