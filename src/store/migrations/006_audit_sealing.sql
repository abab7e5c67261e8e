-- Audit rows are appended without a lock and sealed into the hash chain in batches afterwards
-- (docs/decisions/0006-audit-sealed-in-batches.md). A pending row has chain_pos, prev_hash and hash
-- NULL; the sealer gives it the next chain position and links it. Existing rows were chained in seq
-- order, so their position is their seq and their hashes stay valid.
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL;
ALTER TABLE audit_log ADD COLUMN chain_pos bigint;
UPDATE audit_log SET chain_pos = seq;
CREATE UNIQUE INDEX audit_log_chain_pos_idx ON audit_log (chain_pos);
CREATE INDEX audit_log_pending_idx ON audit_log (seq) WHERE chain_pos IS NULL;
