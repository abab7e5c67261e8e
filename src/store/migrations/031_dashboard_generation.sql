-- Every refresh of the dashboard cells gets a new generation. The dashboards cache what they derive
-- from the cells (protection verdicts, summed figures) per generation, so a refresh invalidates the
-- cache in every app instance without any message between them (docs/decisions/0031).
ALTER TABLE dashboard_refreshes ADD COLUMN generation uuid NOT NULL DEFAULT gen_random_uuid();
