-- An organisation's own instruments and official translations (docs/decisions/0017). Every import is a
-- new version; a version is never changed or removed (the trigger below), so a response that records
-- its version can always be read, scored and exported against the exact text its client answered.
CREATE TABLE org_instrument_versions (
  org_id uuid NOT NULL REFERENCES organisations(id),
  instrument_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  -- 'questionnaire': the organisation's own instrument; 'translation': a shipped instrument with the
  -- organisation's licensed translation merged in (the overlay matched it item for item).
  kind text NOT NULL CHECK (kind IN ('questionnaire', 'translation')),
  questionnaire jsonb NOT NULL,
  content_hash text NOT NULL,
  -- [{lang, status, source}] as declared in the Spiegel extension, for the catalogue and planning.
  translations jsonb NOT NULL DEFAULT '[]',
  licence_acknowledged_by uuid REFERENCES users(id),
  licence_acknowledged_at timestamptz,
  imported_by uuid REFERENCES users(id),  -- NULL when imported with the command line
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, instrument_id, version),
  UNIQUE (org_id, instrument_id, content_hash)
);

CREATE FUNCTION org_instrument_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'instrument versions are immutable; import a new version instead';
END;
$$;

CREATE TRIGGER org_instrument_versions_immutable BEFORE UPDATE OR DELETE ON org_instrument_versions
  FOR EACH ROW EXECUTE FUNCTION org_instrument_versions_immutable();

-- The exact version a response answered: NULL for the shipped library text, else the version above.
ALTER TABLE responses ADD COLUMN instrument_version integer;
