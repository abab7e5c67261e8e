-- Daily clinical work in the browser (issue 15): participants with a role and their entry order,
-- contact details kept apart (stored only when entered, erased with the client), planned sessions,
-- an explicit "no plan yet", scheduled and manual sends of invitations, and the risk e-mail notice.

ALTER TABLE participants ADD COLUMN role text;
ALTER TABLE participants ADD COLUMN position integer NOT NULL DEFAULT 0;

-- Set when the therapist saves an episode without a measurement plan on purpose.
ALTER TABLE episodes ADD COLUMN without_plan boolean NOT NULL DEFAULT false;

-- A session is planned (with a date and time), held, or cancelled. Existing rows were all held.
ALTER TABLE therapy_sessions ADD COLUMN status text NOT NULL DEFAULT 'held' CHECK (status IN ('planned','held','cancelled'));
ALTER TABLE therapy_sessions ADD COLUMN planned_at timestamptz;
ALTER TABLE therapy_sessions ALTER COLUMN held_on DROP NOT NULL;
ALTER TABLE therapy_sessions ADD CONSTRAINT therapy_sessions_held_check CHECK (status <> 'held' OR held_on IS NOT NULL);
ALTER TABLE therapy_sessions ADD CONSTRAINT therapy_sessions_planned_check CHECK (status <> 'planned' OR planned_at IS NOT NULL);
CREATE INDEX therapy_sessions_planned_idx ON therapy_sessions (planned_at) WHERE status = 'planned';

-- Contact details of a participant: only the treating therapist sees them, only messages use them.
CREATE TABLE participant_contacts (
  participant_id uuid PRIMARY KEY REFERENCES participants(id),
  org_id uuid NOT NULL REFERENCES organisations(id),
  episode_id uuid NOT NULL REFERENCES episodes(id),
  email text,
  phone text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);

-- Every message that carries (or reminds of) an invitation. The invitation and its token are made
-- when the message goes out, so the token lives only in the message. A scheduled send or reminder
-- exists once per session/participant or per invitation (unique indexes), however many instances run
-- the scheduling pass.
CREATE TABLE invitation_sends (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations(id),
  episode_id uuid NOT NULL REFERENCES episodes(id),
  participant_id uuid NOT NULL REFERENCES participants(id),
  session_id uuid REFERENCES therapy_sessions(id),
  session_number integer NOT NULL CHECK (session_number >= 1),
  kind text NOT NULL CHECK (kind IN ('manual','scheduled','reminder')),
  channel text NOT NULL CHECK (channel IN ('email','sms')),
  reminds_send_id uuid REFERENCES invitation_sends(id),
  invitation_id uuid REFERENCES invitations(id),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sent','skipped','failed')),
  due_at timestamptz NOT NULL,
  sent_at timestamptz,
  error text,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX invitation_sends_scheduled_idx ON invitation_sends (session_id, participant_id) WHERE kind = 'scheduled';
CREATE UNIQUE INDEX invitation_sends_reminder_idx ON invitation_sends (reminds_send_id) WHERE kind = 'reminder';
CREATE INDEX invitation_sends_episode_idx ON invitation_sends (episode_id, created_at);
CREATE INDEX invitation_sends_reminder_due_idx ON invitation_sends (sent_at) WHERE status = 'sent' AND kind <> 'reminder';

-- The risk e-mail to the therapist (a signal, never its content) is sent once per risk alert.
ALTER TABLE alerts ADD COLUMN notified_at timestamptz;
UPDATE alerts SET notified_at = created_at WHERE rule = 'risk';
CREATE INDEX alerts_risk_notice_idx ON alerts (created_at) WHERE rule = 'risk' AND notified_at IS NULL;
