-- Teams (or locations): an organisation's structure for the manager dashboards. A therapist belongs
-- to one or more teams; a team's figures are those of its members' episodes.
CREATE TABLE teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, name)
);

CREATE TABLE team_members (
  team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES organisations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_org_idx ON team_members (org_id, user_id);

-- Reach counts opened links: the form stamps the first open.
ALTER TABLE invitations ADD COLUMN opened_at timestamptz;

-- The dashboards read pre-aggregated cells, one per therapist × quarter × modality (× outcome
-- instrument), rebuilt with the nightly refit. The therapist column never leaves the store: it
-- exists so that small-group protection can count therapists behind every figure.
CREATE TABLE dashboard_cells (
  org_id uuid NOT NULL REFERENCES organisations(id),
  family text NOT NULL CHECK (family IN ('outcome','activity')),
  instrument_id text NOT NULL,        -- '' for the activity family
  quarter text NOT NULL CHECK (quarter ~ '^[0-9]{4}-Q[1-4]$'),
  modality text NOT NULL CHECK (modality IN ('individual','couple','family','group')),
  therapist_id uuid NOT NULL REFERENCES users(id),
  episodes integer NOT NULL,          -- the unit the minimum counts: episodes behind this cell
  metrics jsonb NOT NULL,
  PRIMARY KEY (org_id, family, instrument_id, quarter, modality, therapist_id)
);

CREATE TABLE dashboard_refreshes (
  org_id uuid PRIMARY KEY REFERENCES organisations(id),
  refreshed_at timestamptz NOT NULL,
  seconds double precision NOT NULL
);
