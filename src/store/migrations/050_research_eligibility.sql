-- Research surveys (issue 19): an eligibility screen before the information letter and consent. A study
-- holds its yes/no criteria; the screen's answers are never stored, only counted in the funnel as
-- 'eligible' or 'screened-out' per recruitment channel.

ALTER TABLE research_studies ADD COLUMN eligibility jsonb NOT NULL DEFAULT '[]';

ALTER TABLE research_funnel DROP CONSTRAINT research_funnel_stage_check;
ALTER TABLE research_funnel ADD CONSTRAINT research_funnel_stage_check
  CHECK (stage IN ('opened', 'eligible', 'screened-out', 'consented', 'declined', 'completed', 'withdrawn'));
