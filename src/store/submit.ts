import type { Kysely } from 'kysely';
import { v7 as timeOrderedUuid } from 'uuid';

import { auditInsertValues } from './audit.ts';
import { scoreRowsFromResult } from './scoring.ts';
import type { Database } from './schema.ts';
import { tokenHash } from './invitations.ts';
import { alertDrafts, type ScoredAnswer } from './submit-alerts.ts';
import { submitStatements } from './submit-statements.ts';

/** What a link leads to, as the form needs it. */
export interface InvitationTarget {
  id: string;
  orgId: string;
  episodeId: string;
  participantId: string;
  sessionNumber: number;
  instrumentIds: string[];
  lang: 'nl' | 'en';
  orgSettings: Record<string, unknown>;
}

/** The invitation behind a token, if it can still be filled in. Every other case is one answer: null. */
export async function openInvitation(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<InvitationTarget | null> {
  const row = await db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.org_id')
    .select([
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
      'o.settings',
    ])
    .where('i.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.used_at || row.revoked_at || new Date(row.expires_at) <= now) return null;
  return targetOf(row);
}

function targetOf(row: {
  id: string;
  org_id: string;
  episode_id: string;
  participant_id: string;
  session_number: number | null;
  instrument_ids: string[];
  lang: 'nl' | 'en';
  settings: Record<string, unknown>;
}): InvitationTarget {
  return {
    id: row.id,
    orgId: row.org_id,
    episodeId: row.episode_id,
    participantId: row.participant_id,
    sessionNumber: row.session_number ?? 1,
    instrumentIds: row.instrument_ids,
    lang: row.lang,
    orgSettings: row.settings,
  };
}

export type { ScoredAnswer } from './submit-alerts.ts';

/** The caller's check of the answers against the invitation: scored answers, or the fields to ask again. */
export type PrepareAnswers = (target: InvitationTarget) => Prepared | Promise<Prepared>;
type Prepared = { answers: ScoredAnswer[] } | { missing: Set<string> };

export type SubmitOutcome =
  | { state: 'stored'; target: InvitationTarget; risk: boolean; alerts: number }
  | { state: 'replayed'; target: InvitationTarget; risk: boolean }
  | { state: 'incomplete'; target: InvitationTarget; missing: Set<string> }
  | { state: 'invalid' };

/**
 * Stores one submission: its responses, scores, the invitation's used state, any alerts and the
 * audit row. The submit is two statements: one read (the invitation with everything the form and
 * the alert rules need) and one write, each shared with the submits that arrive at the same time
 * (src/store/submit-statements.ts). The write is a single statement, so it is atomic on its own,
 * and it claims the invitation first (`used_at IS NULL`): of two concurrent submits exactly one
 * claims it and stores; the other stores nothing and, with the same submission key, gets the first
 * outcome back ("replayed").
 */
export async function submitResponses(
  db: Kysely<Database>,
  token: string,
  submissionKey: string,
  prepare: PrepareAnswers,
  meta: { ip: string | null; now?: Date },
): Promise<SubmitOutcome> {
  const now = meta.now ?? new Date();
  const { read, write } = submitStatements(db);
  const row = await read(tokenHash(token));
  if (!row || row.revoked_at) return { state: 'invalid' };
  const target = targetOf(row);
  if (row.used_at) return replay(db, target, row.submission_key, submissionKey);
  if (new Date(row.expires_at) <= now) return { state: 'invalid' };

  const prepared = await prepare(target);
  if ('missing' in prepared) return { state: 'incomplete', target, missing: prepared.missing };
  const { answers } = prepared;
  // Ids are made here so responses, scores and alerts can refer to each other within one statement.
  // Time-ordered (UUIDv7), so the primary keys of responses, scores and alerts grow at their right
  // edge instead of touching a random index page per row (less WAL, fewer full-page images).
  const responses = answers.map((answer) => ({
    id: timeOrderedUuid(),
    instrument_id: answer.scorer.instrumentId,
    instrument_version: answer.version ?? null,
    questionnaire_response: answer.response,
  }));
  const scores = answers.flatMap((answer, i) =>
    scoreRowsFromResult(answer.result).map((r) => ({
      ...r,
      response_id: responses[i].id,
      instrument_id: answer.scorer.instrumentId,
    })),
  );
  const risk = answers.some((answer) => answer.result.risks.length > 0);
  const drafts = await alertDrafts(db, {
    orgId: target.orgId,
    participantId: target.participantId,
    participantLabel: row.participant_label,
    orgSettings: target.orgSettings,
    sessionNumber: target.sessionNumber,
    responseIds: responses.map((r) => r.id),
    answers,
    history: row.history,
  });
  const alerts = drafts.map((d) => ({
    id: timeOrderedUuid(),
    response_id: responses[0]?.id ?? null,
    rule: d.rule,
    event_key: d.eventKey,
    severity: d.severity,
    reason: { ...d.reason, suggestions: d.suggestions },
  }));
  const audit = auditInsertValues(
    {
      orgId: target.orgId,
      actorId: null,
      actorRole: 'client',
      action: 'response.submit',
      subjectType: 'episode',
      subjectId: target.episodeId,
      // Admins read the audit trail and see no clinical content: no risk flag, no scores, and a client
      // leaves no IP address (meta.ip is not stored).
      ip: null,
      outcome: 'ok',
      details: { invitationId: target.id, responses: responses.length },
    },
    now,
  );

  const written = await write({
    invitation_id: target.id,
    submission_key: submissionKey,
    now,
    org_id: target.orgId,
    episode_id: target.episodeId,
    participant_id: target.participantId,
    therapist_id: row.therapist_id,
    session_number: target.sessionNumber,
    responses,
    scores,
    alerts,
    audit,
  });
  // Another submit claimed the link between our read and our write: a retry of the same submission
  // gets that outcome back, anything else the invalid-link page.
  if (!written.claimed) return replayAfterRace(db, target, token, submissionKey);
  return { state: 'stored', target, risk, alerts: written.alerts };
}

async function replayAfterRace(
  db: Kysely<Database>,
  target: InvitationTarget,
  token: string,
  submissionKey: string,
): Promise<SubmitOutcome> {
  const row = await db
    .selectFrom('invitations')
    .select(['used_at', 'submission_key'])
    .where('token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  return row?.used_at ? replay(db, target, row.submission_key, submissionKey) : { state: 'invalid' };
}

async function replay(
  db: Kysely<Database>,
  target: InvitationTarget,
  storedKey: string | null,
  submissionKey: string,
): Promise<SubmitOutcome> {
  if (storedKey !== submissionKey) return { state: 'invalid' };
  const risk = await db
    .selectFrom('responses as r')
    .innerJoin('scores as s', 's.response_id', 'r.id')
    .select('s.risk')
    .where('r.invitation_id', '=', target.id)
    .where('s.risk', '=', true)
    .executeTakeFirst();
  return { state: 'replayed', target, risk: Boolean(risk) };
}
