import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { measurementDefaults } from '../domain/settings/organisation.ts';
import { SpiegelError } from '../domain/errors.ts';
import { instrumentsDue, nextSessionNumber } from '../domain/feedback/schedule.ts';
import { appendAudit, type AuditEntry } from './audit.ts';
import { auditBase, notFound, type Actor } from './clients.ts';
import { ownEpisodeId } from './episodes.ts';
import type { Database } from './schema.ts';

export const DEFAULT_EXPIRY_DAYS = 7;

/** 192 random bits, base64url; only the SHA-256 is stored. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface InvitationInput {
  participantId: string;
  sessionNumber?: number;
  instrumentIds?: string[];
  expiresInDays?: number;
  lang?: 'nl' | 'en';
}

export interface IssuedInvitation {
  id: string;
  token: string;
  expiresAt: Date;
  instrumentIds: string[];
  sessionNumber: number;
}

/** Who issues an invitation, for the audit trail: a therapist, or the scheduler (no actor). */
export type Issuer = Pick<AuditEntry, 'orgId' | 'actorId' | 'actorRole' | 'ip'>;

/**
 * Issues a single-use invitation inside `trx`. Instruments default to the plan for the session; the
 * session defaults to the next one (the first planned session, else the one after the last).
 */
export async function issueInvitation(
  trx: Transaction<Database>,
  issuer: Issuer,
  episodeId: string,
  input: InvitationInput,
  knownInstrument: (id: string) => boolean,
): Promise<IssuedInvitation> {
  const orgId = issuer.orgId!;
  // The organisation's measurement defaults (link validity) come along in the same round trip.
  const episode = await trx
    .selectFrom('episodes as e')
    .innerJoin('organisations as o', 'o.id', 'e.org_id')
    .select(['e.status', 'o.settings'])
    .where('e.id', '=', episodeId)
    .where('e.org_id', '=', orgId)
    .executeTakeFirst();
  if (!episode) throw notFound('Episode', episodeId);
  if (episode.status !== 'active') throw new SpiegelError('EPISODE_CLOSED');
  const participant = await trx
    .selectFrom('participants as p')
    .leftJoin('participant_contacts as pc', 'pc.participant_id', 'p.id')
    .select(['p.id', 'pc.lang'])
    .where('p.id', '=', input.participantId)
    .where('p.episode_id', '=', episodeId)
    .executeTakeFirst();
  if (!participant) throw notFound('Participant', input.participantId);
  const sessions = await trx
    .selectFrom('therapy_sessions')
    .select(['id', 'number', 'status'])
    .where('episode_id', '=', episodeId)
    .execute();
  const sessionNumber = input.sessionNumber ?? nextSessionNumber(sessions);
  let instrumentIds = input.instrumentIds;
  if (!instrumentIds) {
    const plans = await trx
      .selectFrom('measurement_plans')
      .select(['instrument_id', 'schedule', 'every_n'])
      .where('episode_id', '=', episodeId)
      .execute();
    instrumentIds = instrumentsDue(plans, sessionNumber);
  }
  if (instrumentIds.length === 0)
    throw new SpiegelError(
      'VALIDATION_FAILED',
      `body.instrumentIds No instrument is planned for session ${sessionNumber}; name the instruments.`,
    );
  const unknown = instrumentIds.find((id) => !knownInstrument(id));
  if (unknown)
    throw new SpiegelError(
      'VALIDATION_FAILED',
      `body.instrumentIds "${unknown}" is not an instrument of this organisation.`,
    );
  const session = sessions.find((s) => s.number === sessionNumber);
  const token = newToken();
  const validDays = input.expiresInDays ?? measurementDefaults(episode.settings ?? {}).linkValidDays;
  const expiresAt = new Date(Date.now() + validDays * 86_400_000);
  const row = await trx
    .insertInto('invitations')
    .values({
      org_id: orgId,
      episode_id: episodeId,
      participant_id: participant.id,
      session_id: session?.id ?? null,
      session_number: sessionNumber,
      token_hash: tokenHash(token),
      instrument_ids: instrumentIds,
      // The form opens in the participant's language unless the caller names one.
      lang: input.lang ?? participant.lang ?? 'nl',
      expires_at: expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, {
    ...issuer,
    action: 'invitation.create',
    subjectType: 'episode',
    subjectId: episodeId,
    outcome: 'ok',
    details: { invitationId: row.id, sessionNumber },
  });
  return { id: row.id, token, expiresAt, instrumentIds, sessionNumber };
}

/** Creates a single-use invitation for one of the caller's participants. */
export async function createInvitation(
  db: Kysely<Database>,
  actor: Actor,
  episodeId: string,
  input: InvitationInput,
  knownInstrument: (id: string) => boolean,
): Promise<IssuedInvitation> {
  await ownEpisodeId(db, actor, episodeId);
  return db.transaction().execute((trx) => issueInvitation(trx, auditBase(actor), episodeId, input, knownInstrument));
}

async function ownInvitation(db: Kysely<Database>, actor: Actor, invitationId: string) {
  const row = await db
    .selectFrom('invitations as i')
    .innerJoin('episodes as e', 'e.id', 'i.episode_id')
    .select([
      'i.id',
      'i.episode_id',
      'i.participant_id',
      'i.session_number',
      'i.instrument_ids',
      'i.lang',
      'i.used_at',
      'i.revoked_at',
    ])
    .where('i.id', '=', invitationId)
    .where('i.org_id', '=', actor.staff.orgId)
    .where('e.therapist_id', '=', actor.staff.userId)
    .executeTakeFirst();
  if (!row) throw notFound('Invitation', invitationId);
  return row;
}

export async function revokeInvitation(db: Kysely<Database>, actor: Actor, invitationId: string): Promise<void> {
  const invitation = await ownInvitation(db, actor, invitationId);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('invitations')
      .set({ revoked_at: new Date() })
      .where('id', '=', invitationId)
      .where('revoked_at', 'is', null)
      .execute();
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'invitation.revoke',
      subjectType: 'episode',
      subjectId: invitation.episode_id,
      outcome: 'ok',
      details: { invitationId },
    });
  });
}

/** Revokes an unused invitation and issues a fresh one for the same participant, session and instruments. */
export async function reissueInvitation(
  db: Kysely<Database>,
  actor: Actor,
  invitationId: string,
  knownInstrument: (id: string) => boolean,
): Promise<IssuedInvitation> {
  const old = await ownInvitation(db, actor, invitationId);
  if (old.used_at)
    throw new SpiegelError(
      'VALIDATION_FAILED',
      'This invitation was already used; create a new one for the next session.',
    );
  await revokeInvitation(db, actor, invitationId);
  return createInvitation(
    db,
    actor,
    old.episode_id,
    {
      participantId: old.participant_id,
      sessionNumber: old.session_number ?? undefined,
      instrumentIds: old.instrument_ids,
      lang: old.lang,
    },
    knownInstrument,
  );
}

export async function listInvitations(db: Kysely<Database>, actor: Actor, episodeId: string) {
  await ownEpisodeId(db, actor, episodeId);
  return db
    .selectFrom('invitations')
    .select([
      'id',
      'participant_id',
      'session_number',
      'instrument_ids',
      'lang',
      'expires_at',
      'used_at',
      'revoked_at',
      'created_at',
    ])
    .where('episode_id', '=', episodeId)
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * An invitation of the caller's, if `token` is its token: the page that shows a new link (copy, print,
 * QR) gets the token from a short-lived cookie and must not show a link for any other invitation.
 */
export async function invitationWithToken(db: Kysely<Database>, actor: Actor, invitationId: string, token: string) {
  const row = await ownInvitation(db, actor, invitationId);
  const stored = await db
    .selectFrom('invitations')
    .select(['token_hash', 'expires_at'])
    .where('id', '=', invitationId)
    .executeTakeFirstOrThrow();
  return stored.token_hash === tokenHash(token) ? { ...row, expires_at: stored.expires_at } : null;
}
