-- The alert rules read each participant's score series at every submit; the caseload reads scores
-- by episode. Without these, both scan the scores table (350 ms per query at 1M rows).
CREATE INDEX scores_participant_series_idx ON scores (participant_id, instrument_id, scale_id, session_number, measured_at);
CREATE INDEX scores_episode_idx ON scores (episode_id, measured_at);
