-- Issue 21: the audit chain commits to a hash of each row's details instead of the details
-- themselves, so the details of rows about an erased client can be cleared (set to NULL) while
-- verification still passes. The sealer fills details_hash for every row it seals from now on; rows
-- sealed before this migration keep a hash over their details and keep their details.
ALTER TABLE audit_log ADD COLUMN details_hash text;
ALTER TABLE audit_log ALTER COLUMN details DROP NOT NULL;
