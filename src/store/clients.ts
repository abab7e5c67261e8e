import type { Kysely } from 'kysely';
import { SpiegelError } from '../domain/errors.ts';
import type { StaffIdentity } from '../server/context.ts';
import { appendAudit } from './audit.ts';
import type { Database, Modality, Schedule } from './schema.ts';

// Clients, episodes, participants, plans and sessions. Every query is scoped by organisation and by
// the treating therapist: another therapist's records answer NOT_FOUND, so existence is not revealed.

export interface Actor {
  staff: StaffIdentity;
  ip: string;
}

function auditBase(actor: Actor) {
  return {
    orgId: actor.staff.orgId,
    actorId: actor.staff.userId,
    actorRole: actor.staff.roles.join(','),
    ip: actor.ip,
  };
}

export function notFound(what: string, id: string): SpiegelError {
  return new SpiegelError('NOT_FOUND', `${what} ${id} was not found.`, { id });
}

export async function createClient(db: Kysely<Database>, actor: Actor, input: { code: string; alias?: string | null }) {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('clients')
      .select('id')
      .where('org_id', '=', actor.staff.orgId)
      .where('code', '=', input.code)
      .executeTakeFirst();
    if (existing)
      throw new SpiegelError('VALIDATION_FAILED', `body.code "${input.code}" is already in use in this organisation.`, {
        fields: [{ field: 'body.code', message: 'is already in use' }],
      });
    const client = await trx
      .insertInto('clients')
      .values({
        org_id: actor.staff.orgId,
        code: input.code,
        therapist_id: actor.staff.userId,
        alias: input.alias ?? null,
      })
      .returning(['id', 'code', 'alias', 'created_at'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'client.create',
      subjectType: 'client',
      subjectId: client.id,
      outcome: 'ok',
    });
    return client;
  });
}

export async function listClients(db: Kysely<Database>, actor: Actor) {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('clients')
      .select(['id', 'code', 'alias', 'created_at'])
      .where('org_id', '=', actor.staff.orgId)
      .where('therapist_id', '=', actor.staff.userId)
      .orderBy('code')
      .execute();
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'client.list',
      subjectType: 'client',
      outcome: 'ok',
      details: { count: rows.length },
    });
    return rows;
  });
}

export interface EpisodeInput {
  clientId: string;
  modality: Modality;
  participants?: string[];
  startedOn: string;
  plans?: Array<{ instrumentId: string; schedule: Schedule; everyN?: number | null }>;
}

export async function createEpisode(
  db: Kysely<Database>,
  actor: Actor,
  input: EpisodeInput,
  knownInstrument: (id: string) => boolean,
) {
  const labels = input.participants?.length ? input.participants : input.modality === 'individual' ? ['client'] : [];
  if (input.modality === 'individual' && labels.length !== 1)
    throw new SpiegelError('VALIDATION_FAILED', 'body.participants An individual episode has exactly one participant.');
  if (input.modality !== 'individual' && labels.length < 2)
    throw new SpiegelError(
      'VALIDATION_FAILED',
      `body.participants A ${input.modality} episode needs at least two participants.`,
    );
  if (new Set(labels).size !== labels.length)
    throw new SpiegelError('VALIDATION_FAILED', 'body.participants Participant labels must be unique.');
  for (const plan of input.plans ?? []) {
    if (!knownInstrument(plan.instrumentId))
      throw new SpiegelError(
        'VALIDATION_FAILED',
        `body.plans.instrumentId "${plan.instrumentId}" is not an instrument of this organisation.`,
      );
    if ((plan.schedule === 'every_n') !== (plan.everyN != null))
      throw new SpiegelError(
        'VALIDATION_FAILED',
        'body.plans.everyN is required with schedule every_n, and only then.',
      );
  }
  return db.transaction().execute(async (trx) => {
    const client = await trx
      .selectFrom('clients')
      .select('id')
      .where('id', '=', input.clientId)
      .where('org_id', '=', actor.staff.orgId)
      .where('therapist_id', '=', actor.staff.userId)
      .executeTakeFirst();
    if (!client) throw notFound('Client', input.clientId);
    const episode = await trx
      .insertInto('episodes')
      .values({
        org_id: actor.staff.orgId,
        client_id: client.id,
        therapist_id: actor.staff.userId,
        modality: input.modality,
        started_on: input.startedOn,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('participants')
      .values(labels.map((label) => ({ org_id: actor.staff.orgId, episode_id: episode.id, label })))
      .execute();
    if (input.plans?.length) {
      await trx
        .insertInto('measurement_plans')
        .values(
          input.plans.map((p) => ({
            org_id: actor.staff.orgId,
            episode_id: episode.id,
            instrument_id: p.instrumentId,
            schedule: p.schedule,
            every_n: p.everyN ?? null,
          })),
        )
        .execute();
    }
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'episode.create',
      subjectType: 'episode',
      subjectId: episode.id,
      outcome: 'ok',
    });
    return episode;
  });
}

/** The caller's own episode with participants, plans and sessions; NOT_FOUND otherwise. Audited. */
export async function getEpisode(db: Kysely<Database>, actor: Actor, episodeId: string) {
  return db.transaction().execute(async (trx) => {
    const episode = await trx
      .selectFrom('episodes as e')
      .innerJoin('clients as c', 'c.id', 'e.client_id')
      .select([
        'e.id',
        'e.modality',
        'e.status',
        'e.started_on',
        'e.ended_on',
        'c.id as client_id',
        'c.code as client_code',
        'c.alias as client_alias',
      ])
      .where('e.id', '=', episodeId)
      .where('e.org_id', '=', actor.staff.orgId)
      .where('e.therapist_id', '=', actor.staff.userId)
      .executeTakeFirst();
    if (!episode) throw notFound('Episode', episodeId);
    const [participants, plans, sessions] = await Promise.all([
      trx
        .selectFrom('participants')
        .select(['id', 'label'])
        .where('episode_id', '=', episodeId)
        .orderBy('created_at')
        .orderBy('label')
        .execute(),
      trx
        .selectFrom('measurement_plans')
        .select(['id', 'instrument_id', 'schedule', 'every_n'])
        .where('episode_id', '=', episodeId)
        .orderBy('instrument_id')
        .execute(),
      trx
        .selectFrom('therapy_sessions')
        .select(['id', 'number', 'held_on'])
        .where('episode_id', '=', episodeId)
        .orderBy('number')
        .execute(),
    ]);
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'episode.read',
      subjectType: 'episode',
      subjectId: episodeId,
      outcome: 'ok',
    });
    return { ...episode, participants, plans, sessions };
  });
}

async function ownEpisodeId(db: Kysely<Database>, actor: Actor, episodeId: string): Promise<string> {
  const row = await db
    .selectFrom('episodes')
    .select('id')
    .where('id', '=', episodeId)
    .where('org_id', '=', actor.staff.orgId)
    .where('therapist_id', '=', actor.staff.userId)
    .executeTakeFirst();
  if (!row) throw notFound('Episode', episodeId);
  return row.id;
}

export async function addSession(
  db: Kysely<Database>,
  actor: Actor,
  episodeId: string,
  input: { heldOn: string; number?: number },
) {
  await ownEpisodeId(db, actor, episodeId);
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('therapy_sessions')
      .select((eb) => eb.fn.max('number').as('max'))
      .where('episode_id', '=', episodeId)
      .executeTakeFirst();
    const number = input.number ?? (last?.max ?? 0) + 1;
    const clash = await trx
      .selectFrom('therapy_sessions')
      .select('id')
      .where('episode_id', '=', episodeId)
      .where('number', '=', number)
      .executeTakeFirst();
    if (clash)
      throw new SpiegelError('VALIDATION_FAILED', `body.number Session ${number} already exists in this episode.`);
    const session = await trx
      .insertInto('therapy_sessions')
      .values({ org_id: actor.staff.orgId, episode_id: episodeId, number, held_on: input.heldOn })
      .returning(['id', 'number', 'held_on'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'session.create',
      subjectType: 'episode',
      subjectId: episodeId,
      outcome: 'ok',
      details: { number },
    });
    return session;
  });
}

export async function setEpisodeStatus(
  db: Kysely<Database>,
  actor: Actor,
  episodeId: string,
  input: { status: 'active' | 'completed' | 'dropped'; endedOn?: string | null },
) {
  await ownEpisodeId(db, actor, episodeId);
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('episodes')
      .set({
        status: input.status,
        ended_on: input.status === 'active' ? null : (input.endedOn ?? new Date().toISOString().slice(0, 10)),
      })
      .where('id', '=', episodeId)
      .execute();
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'episode.update',
      subjectType: 'episode',
      subjectId: episodeId,
      outcome: 'ok',
      details: { status: input.status },
    });
  });
}

export { ownEpisodeId, auditBase };
