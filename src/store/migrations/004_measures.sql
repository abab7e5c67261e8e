-- Idempotent submit: the key the form sent with the accepted submission. A retry with the same key
-- gets the same answer; another key finds the link used.
ALTER TABLE invitations ADD COLUMN submission_key text;
ALTER TABLE invitations ADD COLUMN session_number integer CHECK (session_number IS NULL OR session_number >= 1);
