-- Issue 21: TOTP secrets encrypted at rest. users.totp_secret now holds an AES-256-GCM ciphertext
-- (src/store/totp-secrets.ts) bound to the user row, and totp_key_id the fingerprint of the key that
-- sealed it. A secret with totp_key_id NULL is a plain-text secret from before this migration: the
-- key is in the environment, not in the database, so SQL cannot encrypt it here; the server seals
-- every such secret when it starts (sealPlaintextTotpSecrets) and reads both forms until then.
ALTER TABLE users ADD COLUMN totp_key_id text;
