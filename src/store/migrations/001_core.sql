-- Core schema: organisations, staff, clients, episodes, measures, alerts, analyses, jobs, audit.
-- Every row carries org_id so the schema can be sharded by organisation later.

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{2,64}$'),
  name text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  email text NOT NULL,
  display_name text NOT NULL,
  roles text[] NOT NULL CHECK (roles <@ ARRAY['admin','therapist','supervisor','manager','researcher']::text[] AND cardinality(roles) > 0),
  gender text CHECK (gender IN ('female','male','other')),
  password_hash text,
  totp_secret text,
  totp_enabled boolean NOT NULL DEFAULT false,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, email)
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

CREATE TABLE staff_sessions (
  id text PRIMARY KEY,                -- SHA-256 of the cookie token; the token itself is never stored
  org_id uuid NOT NULL REFERENCES organisations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX staff_sessions_user_idx ON staff_sessions (user_id);

CREATE TABLE clients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  code text NOT NULL,                 -- pseudonymous code; no names or contact details
  therapist_id uuid NOT NULL REFERENCES users(id),
  alias text,                         -- optional, seen only by the treating therapist
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, code)
);
CREATE INDEX clients_therapist_idx ON clients (org_id, therapist_id);

CREATE TABLE episodes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  therapist_id uuid NOT NULL REFERENCES users(id),
  modality text NOT NULL CHECK (modality IN ('individual','couple','family','group')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','completed','dropped')),
  started_on date NOT NULL,
  ended_on date,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX episodes_therapist_idx ON episodes (org_id, therapist_id, status);

CREATE TABLE participants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  episode_id uuid NOT NULL REFERENCES episodes(id),
  label text NOT NULL,               -- e.g. "client", "partner A", "father"
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (episode_id, label)
);

CREATE TABLE org_instruments (
  org_id uuid NOT NULL REFERENCES organisations(id),
  instrument_id text NOT NULL,
  questionnaire jsonb,               -- set for imported instruments; shipped ones load from instruments/
  enabled boolean NOT NULL DEFAULT false,
  licence_acknowledged_by uuid REFERENCES users(id),
  licence_acknowledged_at timestamptz,
  PRIMARY KEY (org_id, instrument_id)
);

CREATE TABLE measurement_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  episode_id uuid NOT NULL REFERENCES episodes(id),
  instrument_id text NOT NULL,
  schedule text NOT NULL CHECK (schedule IN ('every_session','intake','every_n','end')),
  every_n integer CHECK (every_n IS NULL OR every_n BETWEEN 2 AND 52),
  UNIQUE (episode_id, instrument_id)
);

CREATE TABLE therapy_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  episode_id uuid NOT NULL REFERENCES episodes(id),
  number integer NOT NULL CHECK (number >= 1),
  held_on date NOT NULL,
  UNIQUE (episode_id, number)
);

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  episode_id uuid NOT NULL REFERENCES episodes(id),
  participant_id uuid NOT NULL REFERENCES participants(id),
  session_id uuid REFERENCES therapy_sessions(id),
  token_hash text NOT NULL UNIQUE,   -- SHA-256 of the token; the token is shown once and never stored
  instrument_ids text[] NOT NULL,
  lang text NOT NULL DEFAULT 'nl' CHECK (lang IN ('nl','en')),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitations_episode_idx ON invitations (episode_id);

CREATE TABLE responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  episode_id uuid NOT NULL REFERENCES episodes(id),
  participant_id uuid NOT NULL REFERENCES participants(id),
  invitation_id uuid REFERENCES invitations(id),
  instrument_id text NOT NULL,
  session_number integer NOT NULL CHECK (session_number >= 1),
  questionnaire_response jsonb NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (invitation_id, instrument_id)  -- a retried submit can never store a second response
);
CREATE INDEX responses_episode_idx ON responses (episode_id, session_number);

CREATE TABLE scores (
  response_id uuid NOT NULL REFERENCES responses(id),
  scale_id text NOT NULL,
  org_id uuid NOT NULL REFERENCES organisations(id),
  episode_id uuid NOT NULL REFERENCES episodes(id),
  participant_id uuid NOT NULL REFERENCES participants(id),
  therapist_id uuid NOT NULL REFERENCES users(id),
  instrument_id text NOT NULL,
  session_number integer NOT NULL,
  value double precision,            -- null when the missing-item rule gives no score
  band text,
  risk boolean NOT NULL DEFAULT false,
  measured_at timestamptz NOT NULL,
  PRIMARY KEY (response_id, scale_id)
);
-- The heavy pass of the analytics groups over this table.
CREATE INDEX scores_analysis_idx ON scores (org_id, instrument_id, scale_id, therapist_id, episode_id);

CREATE TABLE alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  episode_id uuid NOT NULL REFERENCES episodes(id),
  response_id uuid REFERENCES responses(id),
  rule text NOT NULL,
  event_key text NOT NULL,           -- identifies the event, so one event never raises two alerts
  severity text NOT NULL CHECK (severity IN ('info','warning','urgent')),
  reason jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  acknowledged_by uuid REFERENCES users(id),
  acknowledgement_note text,
  UNIQUE (episode_id, rule, event_key)
);
CREATE INDEX alerts_open_idx ON alerts (org_id, episode_id) WHERE acknowledged_at IS NULL;

CREATE TABLE analysis_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  kind text NOT NULL,                -- e.g. 'expected_course', 'therapist_effects'
  instrument_id text,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','done','failed')),
  method text,
  data_window jsonb,
  result jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX analysis_runs_kind_idx ON analysis_runs (org_id, kind, instrument_id, created_at DESC);

CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  org_id uuid REFERENCES organisations(id),
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','done','failed')),
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE status = 'queued';

CREATE TABLE audit_log (
  seq bigserial PRIMARY KEY,
  org_id uuid,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  actor_role text,
  action text NOT NULL,
  subject_type text,
  subject_id text,
  ip text,
  outcome text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_log_org_idx ON audit_log (org_id, at);
