-- Research surveys (issue 19): paper questionnaires typed in by the research team, once or twice
-- (double data entry). Each entry is kept as typed; when both entries of a paper agree, or the
-- researcher has resolved the differences, the answers become one response (channel 'paper').

CREATE TABLE research_paper_entries (
  study_id uuid NOT NULL REFERENCES research_studies(id) ON DELETE CASCADE,
  paper_id text NOT NULL,
  entry smallint NOT NULL CHECK (entry IN (1, 2)),
  response jsonb NOT NULL,
  entered_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (study_id, paper_id, entry)
);

CREATE TABLE research_paper_results (
  study_id uuid NOT NULL REFERENCES research_studies(id) ON DELETE CASCADE,
  paper_id text NOT NULL,
  response_id uuid NOT NULL,
  double_entry boolean NOT NULL,
  discrepancies integer NOT NULL,
  PRIMARY KEY (study_id, paper_id)
);
