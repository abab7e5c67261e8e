-- Submitting a form sets used_at and submission_key on its invitation. With free room on the page
-- PostgreSQL updates the row in place (a HOT update) and leaves the invitation's three indexes alone;
-- on a full page it writes a new row version elsewhere plus an entry in every index. Invitations are
-- written once and updated once, so 20% room per page is cheap.
ALTER TABLE invitations SET (fillfactor = 80);
