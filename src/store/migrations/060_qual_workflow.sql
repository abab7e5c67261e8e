-- Qualitative coding in the browser (issue 20): the language a project's texts are written in (so a
-- page in the other language marks them), consensus decision memos keep their layer, and member
-- checks: a time-limited link per case, stored only as a hash, with the participant's answers sealed
-- like memos.

ALTER TABLE qual_projects ADD COLUMN language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl','en'));

CREATE TABLE qual_member_checks (
  id uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES qual_projects(id),
  document_id uuid NOT NULL REFERENCES qual_documents(id),
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  answered_at timestamptz,
  key_id text,
  ciphertext text,                      -- the answers: per theme agree/disagree and a comment, quote consent
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX qual_member_checks_document_idx ON qual_member_checks (project_id, document_id);
