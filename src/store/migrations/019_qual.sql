-- Qualitative interview coding (issue 20): projects with members (principal investigator, coder,
-- auditor), pseudonymous cases with one transcript each, a codebook, coded segments per layer (a
-- coder's user id, or 'consensus') and memos. Transcripts and memos are stored only as AES-256-GCM
-- ciphertext, like the reflection journal (key_id names the key). study_id stays nullable so a
-- project can be linked to a research study later.

CREATE TABLE qual_projects (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations(id),
  name text NOT NULL,
  study_id uuid,
  blinded boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX qual_projects_org_idx ON qual_projects (org_id);

CREATE TABLE qual_members (
  project_id uuid NOT NULL REFERENCES qual_projects(id),
  user_id uuid NOT NULL REFERENCES users(id),
  role text NOT NULL CHECK (role IN ('investigator','coder','auditor')),
  PRIMARY KEY (project_id, user_id)
);

CREATE TABLE qual_codes (
  id uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES qual_projects(id),
  label text NOT NULL,
  name text NOT NULL,
  parent_id uuid REFERENCES qual_codes(id),
  definition text NOT NULL DEFAULT '',
  inclusion text NOT NULL DEFAULT '',
  exclusion text NOT NULL DEFAULT '',
  example text NOT NULL DEFAULT '',
  colour text NOT NULL DEFAULT '#888888',
  sort_order integer NOT NULL DEFAULT 0,
  equivalent_to uuid REFERENCES qual_codes(id),
  UNIQUE (project_id, label)
);

CREATE TABLE qual_documents (
  id uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES qual_projects(id),
  case_label text NOT NULL,
  attributes jsonb NOT NULL DEFAULT '{}',
  version integer NOT NULL DEFAULT 1,
  text_length integer NOT NULL,
  key_id text NOT NULL,
  ciphertext text NOT NULL,             -- the transcript text
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, case_label)
);

CREATE TABLE qual_segments (
  id uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES qual_projects(id),
  document_id uuid NOT NULL REFERENCES qual_documents(id),
  code_id uuid NOT NULL REFERENCES qual_codes(id),
  layer text NOT NULL,                  -- a coder's user id, or 'consensus'
  start_pos integer NOT NULL CHECK (start_pos >= 0),
  end_pos integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_pos > start_pos)
);
CREATE INDEX qual_segments_project_idx ON qual_segments (project_id, layer);

CREATE TABLE qual_memos (
  id uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES qual_projects(id),
  target_kind text NOT NULL CHECK (target_kind IN ('project','code','document','segment')),
  target_id text NOT NULL,
  author text NOT NULL,
  key_id text NOT NULL,
  ciphertext text NOT NULL,             -- the memo text
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX qual_memos_project_idx ON qual_memos (project_id);
