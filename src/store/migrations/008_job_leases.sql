-- Job leases (decision 0012): a claimed job holds a lease that its worker renews while it runs. A job
-- whose worker died (kill -9, a lost connection) is claimed again once the lease has run out, with
-- attempts counted and a backoff after failures, so it is never stuck in 'running'. The lease token
-- lets only the current holder finish the job. A dedupe key keeps one pending job per key (e.g. one
-- refit per organisation), also when two instances enqueue at the same moment.
ALTER TABLE jobs ADD COLUMN lease_until timestamptz;
ALTER TABLE jobs ADD COLUMN lease_token uuid;
ALTER TABLE jobs ADD COLUMN max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts >= 1);
ALTER TABLE jobs ADD COLUMN dedupe_key text;
UPDATE jobs SET lease_until = now() WHERE status = 'running';
CREATE UNIQUE INDEX jobs_pending_dedupe_idx ON jobs (kind, dedupe_key)
  WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running');
CREATE INDEX jobs_lease_idx ON jobs (lease_until) WHERE status = 'running';
