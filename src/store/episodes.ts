import type { Kysely, Transaction } from 'kysely';
import { SpiegelError } from '../domain/errors.ts';
import { appendAudit } from './audit.ts';
import { auditBase, notFound, type Actor } from './clients.ts';
import type { Database, Modality, Schedule } from './schema.ts';

// Episodes, their participants (with optional contact details), measurement plan and sessions. Every
// query is scoped by organisation and treating therapist: anyone else's episode answers NOT_FOUND.

export interface ParticipantInput {
  label: string;
  role?: string | null;
  email?: string | null;
  phone?: string | null;
  /** The language of their messages (and form); Dutch unless English is chosen. */
  lang?: 'nl' | 'en';
}

export interface PlanInput {
  instrumentId: string;
  schedule: Schedule;
  everyN?: number | null;
}

export interface EpisodeInput {
  clientId: string;
  modality: Modality;
  /** In the order the therapist entered them; a plain string is a label. */
  participants?: Array<string | ParticipantInput>;
  startedOn: string;
  plans?: PlanInput[];
  /** The therapist saves the episode without a measurement plan on purpose. */
  withoutPlan?: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{8,20}$/;

function invalid(field: string, message: string): SpiegelError {
  return new SpiegelError('VALIDATION_FAILED', `${field} ${message}`, { fields: [{ field, message }] });
}

/** Trims and checks participants: unique labels, well-formed contact details. */
export function normaliseParticipants(modality: Modality, input: EpisodeInput['participants']): ParticipantInput[] {
  const list = (input ?? [])
    .map((p) => (typeof p === 'string' ? { label: p } : p))
    .map((p) => ({
      label: p.label.trim(),
      role: p.role?.trim() || null,
      email: p.email?.trim() || null,
      phone: p.phone?.trim() || null,
      lang: p.lang === 'en' ? ('en' as const) : ('nl' as const),
    }))
    .filter((p) => p.label || p.role || p.email || p.phone);
  if (modality === 'individual' && list.length === 0)
    list.push({ label: 'client', role: null, email: null, phone: null, lang: 'nl' });
  if (list.some((p) => !p.label)) throw invalid('body.participants', 'Every participant needs a name or label.');
  if (modality === 'individual' && list.length !== 1)
    throw invalid('body.participants', 'An individual episode has exactly one participant.');
  if (modality !== 'individual' && list.length < 2)
    throw invalid('body.participants', `A ${modality} episode needs at least two participants.`);
  if (new Set(list.map((p) => p.label.toLowerCase())).size !== list.length)
    throw invalid('body.participants', 'Participant labels must be unique.');
  for (const p of list) {
    if (p.email && !EMAIL.test(p.email))
      throw invalid('body.participants.email', `"${p.email}" is not an e-mail address.`);
    if (p.phone && !PHONE.test(p.phone))
      throw invalid('body.participants.phone', `"${p.phone}" is not a phone number.`);
  }
  return list;
}

export function checkPlans(plans: readonly PlanInput[], knownInstrument: (id: string) => boolean): void {
  const seen = new Set<string>();
  for (const plan of plans) {
    if (!knownInstrument(plan.instrumentId))
      throw invalid('body.plans.instrumentId', `"${plan.instrumentId}" is not an instrument of this organisation.`);
    if ((plan.schedule === 'every_n') !== (plan.everyN != null))
      throw invalid('body.plans.everyN', 'is required with schedule every_n, and only then.');
    if (seen.has(plan.instrumentId))
      throw invalid('body.plans.instrumentId', `"${plan.instrumentId}" is planned twice.`);
    seen.add(plan.instrumentId);
  }
}

function noPlan(): SpiegelError {
  return invalid(
    'body.plans',
    'An episode needs a measurement plan; choose at least one instrument or say that you save it without a plan.',
  );
}

async function insertContacts(
  trx: Transaction<Database>,
  orgId: string,
  episodeId: string,
  rows: Array<{ id: string; email: string | null; phone: string | null; lang?: 'nl' | 'en' }>,
): Promise<void> {
  const withContact = rows.filter((r) => r.email || r.phone);
  if (withContact.length === 0) return;
  await trx
    .insertInto('participant_contacts')
    .values(
      withContact.map((r) => ({
        participant_id: r.id,
        org_id: orgId,
        episode_id: episodeId,
        email: r.email,
        phone: r.phone,
        lang: r.lang ?? 'nl',
      })),
    )
    .execute();
}

export async function createEpisode(
  db: Kysely<Database>,
  actor: Actor,
  input: EpisodeInput,
  knownInstrument: (id: string) => boolean,
) {
  const participants = normaliseParticipants(input.modality, input.participants);
  const plans = input.plans ?? [];
  checkPlans(plans, knownInstrument);
  if (plans.length === 0 && !input.withoutPlan) throw noPlan();
  const { orgId } = actor.staff;
  return db.transaction().execute(async (trx) => {
    const client = await trx
      .selectFrom('clients')
      .select('id')
      .where('id', '=', input.clientId)
      .where('org_id', '=', orgId)
      .where('therapist_id', '=', actor.staff.userId)
      .executeTakeFirst();
    if (!client) throw notFound('Client', input.clientId);
    const episode = await trx
      .insertInto('episodes')
      .values({
        org_id: orgId,
        client_id: client.id,
        therapist_id: actor.staff.userId,
        modality: input.modality,
        started_on: input.startedOn,
        without_plan: plans.length === 0,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    const inserted = await trx
      .insertInto('participants')
      .values(
        participants.map((p, position) => ({
          org_id: orgId,
          episode_id: episode.id,
          label: p.label,
          role: p.role,
          position,
        })),
      )
      .returning(['id', 'position'])
      .execute();
    await insertContacts(
      trx,
      orgId,
      episode.id,
      inserted.map((row) => ({
        id: row.id,
        email: participants[row.position].email!,
        phone: participants[row.position].phone!,
        lang: participants[row.position].lang,
      })),
    );
    if (plans.length) await insertPlans(trx, orgId, episode.id, plans);
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'episode.create',
      subjectType: 'episode',
      subjectId: episode.id,
      outcome: 'ok',
      details: { participants: participants.length, contacts: participants.filter((p) => p.email || p.phone).length },
    });
    return episode;
  });
}

async function insertPlans(trx: Transaction<Database>, orgId: string, episodeId: string, plans: readonly PlanInput[]) {
  await trx
    .insertInto('measurement_plans')
    .values(
      plans.map((p) => ({
        org_id: orgId,
        episode_id: episodeId,
        instrument_id: p.instrumentId,
        schedule: p.schedule,
        every_n: p.everyN ?? null,
      })),
    )
    .execute();
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
        'e.without_plan',
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
        .selectFrom('participants as p')
        .leftJoin('participant_contacts as pc', 'pc.participant_id', 'p.id')
        .select(['p.id', 'p.label', 'p.role', 'pc.email', 'pc.phone', 'pc.lang'])
        .where('p.episode_id', '=', episodeId)
        .orderBy('p.position')
        .orderBy('p.created_at')
        .execute(),
      trx
        .selectFrom('measurement_plans')
        .select(['id', 'instrument_id', 'schedule', 'every_n'])
        .where('episode_id', '=', episodeId)
        .orderBy('instrument_id')
        .execute(),
      trx
        .selectFrom('therapy_sessions')
        .select(['id', 'number', 'held_on', 'status', 'planned_at'])
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

export type EpisodeDetail = Awaited<ReturnType<typeof getEpisode>>;

export async function ownEpisodeId(db: Kysely<Database>, actor: Actor, episodeId: string): Promise<string> {
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

async function auditEpisode(trx: Transaction<Database>, actor: Actor, episodeId: string, action: string, details = {}) {
  await appendAudit(trx, {
    ...auditBase(actor),
    action,
    subjectType: 'episode',
    subjectId: episodeId,
    outcome: 'ok',
    details,
  });
}

/** Replaces the measurement plan. An empty plan needs the therapist's explicit "without a plan". */
export async function setPlan(
  db: Kysely<Database>,
  actor: Actor,
  episodeId: string,
  plans: PlanInput[],
  withoutPlan: boolean,
  knownInstrument: (id: string) => boolean,
): Promise<void> {
  checkPlans(plans, knownInstrument);
  if (plans.length === 0 && !withoutPlan) throw noPlan();
  await ownEpisodeId(db, actor, episodeId);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('measurement_plans').where('episode_id', '=', episodeId).execute();
    if (plans.length) await insertPlans(trx, actor.staff.orgId, episodeId, plans);
    await trx
      .updateTable('episodes')
      .set({ without_plan: plans.length === 0 })
      .where('id', '=', episodeId)
      .execute();
    await auditEpisode(trx, actor, episodeId, 'episode.plan', { instruments: plans.map((p) => p.instrumentId) });
  });
}

/** Renames participants, sets roles and contact details (an emptied contact is deleted, not kept). */
export async function updateParticipants(
  db: Kysely<Database>,
  actor: Actor,
  episodeId: string,
  updates: Array<ParticipantInput & { id: string }>,
): Promise<void> {
  await ownEpisodeId(db, actor, episodeId);
  if (updates.length === 0) return;
  const episode = await db
    .selectFrom('episodes')
    .select('modality')
    .where('id', '=', episodeId)
    .executeTakeFirstOrThrow();
  const checked = normaliseParticipants(episode.modality, updates);
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('participants').select('id').where('episode_id', '=', episodeId).execute();
    const ids = new Set(existing.map((p) => p.id));
    for (const [i, p] of checked.entries()) {
      const id = updates[i].id;
      if (!ids.has(id)) throw notFound('Participant', id);
      await trx.updateTable('participants').set({ label: p.label, role: p.role }).where('id', '=', id).execute();
      await trx.deleteFrom('participant_contacts').where('participant_id', '=', id).execute();
      await insertContacts(trx, actor.staff.orgId, episodeId, [
        { id, email: p.email ?? null, phone: p.phone ?? null, lang: p.lang },
      ]);
    }
    await auditEpisode(trx, actor, episodeId, 'episode.participants', { updated: checked.length });
  });
}

async function nextNumber(trx: Transaction<Database>, episodeId: string): Promise<number> {
  const last = await trx
    .selectFrom('therapy_sessions')
    .select((eb) => eb.fn.max('number').as('max'))
    .where('episode_id', '=', episodeId)
    .executeTakeFirst();
  return (last?.max ?? 0) + 1;
}

async function assertFree(trx: Transaction<Database>, episodeId: string, number: number) {
  const clash = await trx
    .selectFrom('therapy_sessions')
    .select('id')
    .where('episode_id', '=', episodeId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (clash)
    throw new SpiegelError('SESSION_NUMBER_IN_USE', `Session ${number} already exists in this episode.`, {
      field: 'body.number',
    });
}

/** Records a held session (the next number unless one is given). */
export async function addSession(
  db: Kysely<Database>,
  actor: Actor,
  episodeId: string,
  input: { heldOn: string; number?: number },
) {
  await ownEpisodeId(db, actor, episodeId);
  return db.transaction().execute(async (trx) => {
    const number = input.number ?? (await nextNumber(trx, episodeId));
    await assertFree(trx, episodeId, number);
    const session = await trx
      .insertInto('therapy_sessions')
      .values({ org_id: actor.staff.orgId, episode_id: episodeId, number, held_on: input.heldOn, status: 'held' })
      .returning(['id', 'number', 'held_on'])
      .executeTakeFirstOrThrow();
    await auditEpisode(trx, actor, episodeId, 'session.create', { number });
    return session;
  });
}

/** Plans the next session at a date and time; scheduled invitations go out before it. */
export async function planSession(db: Kysely<Database>, actor: Actor, episodeId: string, plannedAt: Date) {
  await ownEpisodeId(db, actor, episodeId);
  return db.transaction().execute(async (trx) => {
    const number = await nextNumber(trx, episodeId);
    const session = await trx
      .insertInto('therapy_sessions')
      .values({ org_id: actor.staff.orgId, episode_id: episodeId, number, status: 'planned', planned_at: plannedAt })
      .returning(['id', 'number'])
      .executeTakeFirstOrThrow();
    await auditEpisode(trx, actor, episodeId, 'session.plan', { number });
    return session;
  });
}

/** Marks a planned session held (on a date) or cancelled. */
export async function updateSession(
  db: Kysely<Database>,
  actor: Actor,
  episodeId: string,
  sessionId: string,
  input: { status: 'held'; heldOn: string } | { status: 'cancelled' },
): Promise<void> {
  await ownEpisodeId(db, actor, episodeId);
  await db.transaction().execute(async (trx) => {
    const session = await trx
      .selectFrom('therapy_sessions')
      .select(['id', 'number'])
      .where('id', '=', sessionId)
      .where('episode_id', '=', episodeId)
      .executeTakeFirst();
    if (!session) throw notFound('Session', sessionId);
    await trx
      .updateTable('therapy_sessions')
      .set(input.status === 'held' ? { status: 'held', held_on: input.heldOn } : { status: 'cancelled' })
      .where('id', '=', sessionId)
      .execute();
    await auditEpisode(trx, actor, episodeId, `session.${input.status}`, { number: session.number });
  });
}

/** Closes (completed or dropped) or reopens an episode. Closing revokes its open invitations and sends. */
export async function setEpisodeStatus(
  db: Kysely<Database>,
  actor: Actor,
  episodeId: string,
  input: { status: 'active' | 'completed' | 'dropped'; endedOn?: string | null },
): Promise<{ revoked: number }> {
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
    let revoked = 0;
    if (input.status !== 'active') {
      const result = await trx
        .updateTable('invitations')
        .set({ revoked_at: new Date() })
        .where('episode_id', '=', episodeId)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      revoked = Number(result.numUpdatedRows);
      await trx
        .updateTable('invitation_sends')
        .set({ status: 'skipped', error: 'episode closed' })
        .where('episode_id', '=', episodeId)
        .where('status', '=', 'queued')
        .execute();
      await trx
        .updateTable('therapy_sessions')
        .set({ status: 'cancelled' })
        .where('episode_id', '=', episodeId)
        .where('status', '=', 'planned')
        .execute();
    }
    await auditEpisode(trx, actor, episodeId, 'episode.update', { status: input.status, revoked });
    return { revoked };
  });
}
