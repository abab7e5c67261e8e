-- Research surveys (issue 19): studies owned by a researcher, their versioned consent texts, public
-- links and single-use tokens, anonymous responses, and a response funnel of plain counters.
-- Anonymity by construction: no IP address, no user agent, no time of day. A response keeps its submit
-- date only; a token row keeps only whether it was used, never which response it gave, so the two
-- cannot be joined. Response ids are random (v4), not time-ordered.

CREATE TABLE research_studies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  owner_id uuid NOT NULL REFERENCES users(id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  ethics_reference text NOT NULL CHECK (length(ethics_reference) BETWEEN 1 AND 200),
  legal_basis text NOT NULL CHECK (legal_basis IN ('consent', 'public-interest', 'legitimate-interest')),
  retention_until date NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  survey_text text NOT NULL,
  questionnaire jsonb NOT NULL,
  survey_version integer NOT NULL DEFAULT 1,
  transformations jsonb NOT NULL DEFAULT '[]',
  transformations_version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX research_studies_org_idx ON research_studies (org_id, created_at DESC);

CREATE TABLE research_consent_versions (
  study_id uuid NOT NULL REFERENCES research_studies(id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  information_letter text NOT NULL,
  consent_text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (study_id, version)
);

-- A public link (kind 'public', many responses) or a single-use token (kind 'token'; only its hash).
CREATE TABLE research_links (
  token_hash text PRIMARY KEY,
  study_id uuid NOT NULL REFERENCES research_studies(id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES organisations(id),
  kind text NOT NULL CHECK (kind IN ('public', 'token')),
  channel text NOT NULL CHECK (length(channel) BETWEEN 1 AND 60),
  public_token text,
  used boolean NOT NULL DEFAULT false,
  CHECK ((kind = 'public') = (public_token IS NOT NULL))
);
CREATE INDEX research_links_study_idx ON research_links (study_id);

CREATE TABLE research_responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  study_id uuid NOT NULL REFERENCES research_studies(id) ON DELETE CASCADE,
  survey_version integer NOT NULL,
  consent_version integer NOT NULL,
  consent_text_sha256 text NOT NULL,
  channel text NOT NULL,
  submitted_on date NOT NULL,
  duration_ms integer CHECK (duration_ms IS NULL OR duration_ms >= 0),
  response jsonb NOT NULL,
  withdrawal_hash text NOT NULL UNIQUE,
  FOREIGN KEY (study_id, consent_version) REFERENCES research_consent_versions (study_id, version)
);
CREATE INDEX research_responses_study_idx ON research_responses (study_id);

CREATE TABLE research_funnel (
  study_id uuid NOT NULL REFERENCES research_studies(id) ON DELETE CASCADE,
  channel text NOT NULL,
  stage text NOT NULL CHECK (stage IN ('opened', 'consented', 'declined', 'completed', 'withdrawn')),
  count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (study_id, channel, stage)
);
