-- Research surveys (issue 19): randomisation to arms in balanced blocks. One counter per study and
-- assignment item: the n-th consenting respondent gets position n of the seeded block sequence. Only the
-- count is kept, nothing about who.

CREATE TABLE research_allocations (
  study_id uuid NOT NULL REFERENCES research_studies(id) ON DELETE CASCADE,
  item text NOT NULL,
  next integer NOT NULL DEFAULT 0,
  PRIMARY KEY (study_id, item)
);
