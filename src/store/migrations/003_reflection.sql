-- Reflection (issue 9: the therapist as a person): periodic self-checks, the reflection journal,
-- deliberate practice, and per-item sharing with a supervisor of the same organisation.
-- Everything a therapist writes is stored only as AES-256-GCM ciphertext (key_id names the key;
-- see docs/reflection.md). Only what the charts and the schedule need stays in the clear: dates,
-- practice minutes, the practice skill and the check-up status.

CREATE TABLE reflection_settings (
  user_id uuid PRIMARY KEY REFERENCES users(id),
  org_id uuid NOT NULL REFERENCES organisations(id),
  interval_months integer NOT NULL DEFAULT 6 CHECK (interval_months IN (3, 6, 12)),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE self_checks (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','completed')),
  started_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  key_id text NOT NULL,
  ciphertext text NOT NULL,             -- answers and, once completed, the scores
  CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
CREATE INDEX self_checks_owner_idx ON self_checks (org_id, user_id, started_at DESC);
CREATE UNIQUE INDEX self_checks_one_draft_idx ON self_checks (user_id) WHERE status = 'draft';

CREATE TABLE journal_entries (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  key_id text NOT NULL,
  ciphertext text NOT NULL              -- template, title, fields and tags
);
CREATE INDEX journal_entries_owner_idx ON journal_entries (org_id, user_id, created_at DESC);

CREATE TABLE practice_goals (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  skill text NOT NULL CHECK (skill IN ('allianceRepair','empathicAttunement','directness','countertransference','humour','custom')),
  created_at timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz,
  key_id text NOT NULL,
  ciphertext text NOT NULL              -- title, custom skill name, description
);
CREATE INDEX practice_goals_owner_idx ON practice_goals (org_id, user_id);

CREATE TABLE practice_logs (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  goal_id uuid NOT NULL REFERENCES practice_goals(id) ON DELETE CASCADE,
  practised_on date NOT NULL,
  minutes integer NOT NULL CHECK (minutes BETWEEN 1 AND 600),
  created_at timestamptz NOT NULL DEFAULT now(),
  key_id text NOT NULL,
  ciphertext text NOT NULL              -- what was practised, feedback received
);
CREATE INDEX practice_logs_owner_idx ON practice_logs (org_id, user_id, practised_on);

CREATE TABLE reflection_shares (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  owner_id uuid NOT NULL REFERENCES users(id),
  supervisor_id uuid NOT NULL REFERENCES users(id),
  item_type text NOT NULL CHECK (item_type IN ('self_check','journal_entry','practice_goal')),
  item_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK (owner_id <> supervisor_id)
);
CREATE UNIQUE INDEX reflection_shares_active_idx ON reflection_shares (item_type, item_id, supervisor_id) WHERE revoked_at IS NULL;
CREATE INDEX reflection_shares_supervisor_idx ON reflection_shares (org_id, supervisor_id) WHERE revoked_at IS NULL;
CREATE INDEX reflection_shares_item_idx ON reflection_shares (org_id, owner_id, item_type, item_id);

CREATE TABLE reflection_comments (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  share_id uuid NOT NULL REFERENCES reflection_shares(id) ON DELETE CASCADE,
  author_id uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  key_id text NOT NULL,
  ciphertext text NOT NULL
);
CREATE INDEX reflection_comments_share_idx ON reflection_comments (share_id, created_at);
