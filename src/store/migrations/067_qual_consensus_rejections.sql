-- A consensus meeting that rejects a code for a passage records the decision itself, not only a memo:
-- the disagreement list then shows the passage as decided instead of offering it again.
CREATE TABLE qual_consensus_rejections (
  id uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES qual_projects(id),
  document_id uuid NOT NULL REFERENCES qual_documents(id),
  code_id uuid NOT NULL REFERENCES qual_codes(id),
  start_pos integer NOT NULL CHECK (start_pos >= 0),
  end_pos integer NOT NULL,
  decided_by uuid,                      -- the investigator (null for a system actor)
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (end_pos > start_pos)
);
CREATE INDEX qual_consensus_rejections_project_idx ON qual_consensus_rejections (project_id, document_id);
