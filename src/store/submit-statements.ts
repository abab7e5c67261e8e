import { sql, type Kysely } from 'kysely';

import { createBatcher } from './batcher.ts';
import type { AuditInsertValues } from './audit.ts';
import type { Database } from './schema.ts';
import { preparedMarker } from './prepared.ts';
import type { SeriesPoint } from './submit-alerts.ts';

// The client-form submit is the hottest path of the product and it is two statements: one read and
// one write (decision 0007). Both are batched (group commit, decision 0008): submits that arrive
// while earlier ones are in the database share the next statement, its round trip and its commit.

/** Everything a submit needs about an invitation, read in one statement. */
export interface SubmitReadRow {
  token_hash: string;
  id: string;
  org_id: string;
  episode_id: string;
  participant_id: string;
  session_number: number | null;
  instrument_ids: string[];
  lang: 'nl' | 'en';
  used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date;
  submission_key: string | null;
  therapist_id: string;
  participant_label: string;
  settings: Record<string, unknown>;
  /** The participant's earlier scores on the invited instruments, for the alert rules. */
  history: SeriesPoint[];
}

/** One submission's rows, written only if its invitation is still open at `now`. */
export interface SubmitWrite {
  invitation_id: string;
  submission_key: string;
  now: Date;
  org_id: string;
  episode_id: string;
  participant_id: string;
  therapist_id: string;
  session_number: number;
  responses: Array<{
    id: string;
    instrument_id: string;
    instrument_version: number | null;
    questionnaire_response: Record<string, unknown>;
  }>;
  scores: Array<{
    response_id: string;
    scale_id: string;
    instrument_id: string;
    value: number | null;
    band: string | null;
    risk: boolean;
  }>;
  alerts: Array<{
    id: string;
    response_id: string | null;
    rule: string;
    event_key: string;
    severity: string;
    reason: unknown;
  }>;
  audit: AuditInsertValues;
}

/** Whether the write claimed the invitation (and so stored everything), and how many alerts were new. */
export interface SubmitWritten {
  claimed: boolean;
  alerts: number;
}

// Two batches of each kind in flight: one runs while the next fills. Batches stay well under the
// statement sizes PostgreSQL handles comfortably (a submission is a few kB of JSON).
const MAX_BATCH = 50;
const MAX_IN_FLIGHT = 1;

interface SubmitStatements {
  read: (tokenHash: string) => Promise<SubmitReadRow | undefined>;
  write: (submission: SubmitWrite) => Promise<SubmitWritten>;
}

// One pair of batchers per database handle (one pool), made on first use.
const statements = new WeakMap<Kysely<Database>, SubmitStatements>();

export function submitStatements(db: Kysely<Database>): SubmitStatements {
  let found = statements.get(db);
  if (!found) {
    found = {
      read: createBatcher({
        run: (hashes) => readInvitations(db, hashes),
        keyOf: (hash) => hash,
        maxBatch: MAX_BATCH,
        maxInFlight: MAX_IN_FLIGHT,
      }),
      write: createBatcher({
        run: (batch) => writeSubmissions(db, batch),
        keyOf: (s) => s.invitation_id,
        maxBatch: MAX_BATCH,
        maxInFlight: MAX_IN_FLIGHT,
      }),
    };
    statements.set(db, found);
  }
  return found;
}

/** The invitations behind token hashes, with episode, participant, organisation and score history. */
export async function readInvitations(
  db: Kysely<Database>,
  hashes: string[],
): Promise<Array<SubmitReadRow | undefined>> {
  const rows = await db
    .selectFrom('invitations as i')
    .innerJoin('episodes as e', 'e.id', 'i.episode_id')
    .innerJoin('participants as p', 'p.id', 'i.participant_id')
    .innerJoin('organisations as o', 'o.id', 'i.org_id')
    .select([
      'i.token_hash',
      'i.id',
      'i.org_id',
      'i.episode_id',
      'i.participant_id',
      'i.session_number',
      'i.instrument_ids',
      'i.lang',
      'i.used_at',
      'i.revoked_at',
      'i.expires_at',
      'i.submission_key',
      'e.therapist_id',
      'p.label as participant_label',
      'o.settings',
    ])
    .select(
      sql<
        SeriesPoint[]
      >`(SELECT coalesce(json_agg(json_build_array(s.instrument_id, s.scale_id, s.session_number, s.value) ORDER BY s.session_number, s.measured_at), '[]'::json)
      FROM scores s WHERE s.participant_id = i.participant_id AND s.instrument_id = ANY(i.instrument_ids) AND s.value IS NOT NULL)`.as(
        'history',
      ),
    )
    // The hashes go in as one JSON array, not a text[]: PostgreSQL cannot see its length, so custom
    // plans cost the same as the generic one and the prepared statement settles on its generic plan
    // (with text[] it plans every execution anew, a quarter of the database's CPU on this path).
    .where(sql<boolean>`i.token_hash IN (SELECT jsonb_array_elements_text(${JSON.stringify(hashes)}::jsonb))`)
    .modifyFront(preparedMarker('submit-read'))
    .execute();
  const byHash = new Map(rows.map((row) => [row.token_hash, row as SubmitReadRow]));
  return hashes.map((hash) => byHash.get(hash));
}

/**
 * Writes submissions in one statement, so the batch is atomic as a whole. Each submission first
 * claims its invitation (`used_at IS NULL`, not revoked, not expired at its `now`); only claimed
 * submissions insert responses, scores, alerts and the audit row. Of two concurrent submits for one
 * invitation exactly one claims it (the batcher never puts both in one batch).
 */
export async function writeSubmissions(db: Kysely<Database>, batch: SubmitWrite[]): Promise<SubmitWritten[]> {
  const input = JSON.stringify(
    batch.map(({ audit, ...rest }) => ({
      ...rest,
      audit: { ...audit, details: undefined },
      audit_details: audit.details,
    })),
  );
  const written = await sql<{ claimed: string[]; alerted: string[] }>`${preparedMarker('submit-write')}
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${input}::jsonb) AS x(invitation_id uuid, submission_key text, now timestamptz, org_id uuid, episode_id uuid,
        participant_id uuid, therapist_id uuid, session_number int, responses jsonb, scores jsonb, alerts jsonb, audit jsonb, audit_details text)
    ), claimed AS (
      UPDATE invitations AS i SET used_at = x.now, submission_key = x.submission_key
      FROM input x
      WHERE i.id = x.invitation_id AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > x.now
      RETURNING i.id
    ), ok AS (
      SELECT x.* FROM input x JOIN claimed c ON c.id = x.invitation_id
    ), new_responses AS (
      INSERT INTO responses (id, org_id, episode_id, participant_id, invitation_id, instrument_id, instrument_version, session_number, questionnaire_response, submitted_at)
      SELECT r.id, ok.org_id, ok.episode_id, ok.participant_id, ok.invitation_id, r.instrument_id, r.instrument_version, ok.session_number, r.questionnaire_response, ok.now
      FROM ok, jsonb_to_recordset(ok.responses) AS r(id uuid, instrument_id text, instrument_version int, questionnaire_response jsonb)
    ), new_scores AS (
      INSERT INTO scores (response_id, scale_id, org_id, episode_id, participant_id, therapist_id, instrument_id, session_number, value, band, risk, measured_at)
      SELECT s.response_id, s.scale_id, ok.org_id, ok.episode_id, ok.participant_id, ok.therapist_id, s.instrument_id, ok.session_number, s.value, s.band, s.risk, ok.now
      FROM ok, jsonb_to_recordset(ok.scores) AS s(response_id uuid, scale_id text, instrument_id text, value float8, band text, risk boolean)
    ), new_alerts AS (
      INSERT INTO alerts (id, org_id, episode_id, response_id, rule, event_key, severity, reason)
      SELECT a.id, ok.org_id, ok.episode_id, a.response_id, a.rule, a.event_key, a.severity, a.reason
      FROM ok, jsonb_to_recordset(ok.alerts) AS a(id uuid, response_id uuid, rule text, event_key text, severity text, reason jsonb)
      ON CONFLICT (episode_id, rule, event_key) DO NOTHING
      RETURNING id
    ), audited AS (
      INSERT INTO audit_log (org_id, at, actor_id, actor_role, action, subject_type, subject_id, ip, outcome, details)
      SELECT a.org_id, a.at, a.actor_id, a.actor_role, a.action, a.subject_type, a.subject_id, a.ip, a.outcome, ok.audit_details::jsonb
      FROM ok, jsonb_populate_record(NULL::audit_log, ok.audit) AS a
    )
    SELECT (SELECT coalesce(json_agg(id), '[]'::json) FROM claimed) AS claimed, (SELECT coalesce(json_agg(id), '[]'::json) FROM new_alerts) AS alerted`.execute(
    db,
  );
  const claimed = new Set(written.rows[0]?.claimed ?? []);
  const alerted = new Set(written.rows[0]?.alerted ?? []);
  return batch.map((s) => ({
    claimed: claimed.has(s.invitation_id),
    alerts: s.alerts.filter((a) => alerted.has(a.id)).length,
  }));
}
