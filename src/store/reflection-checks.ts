import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SpiegelError } from '../domain/errors.ts';
import type { TearsScaleScores } from '../domain/reflection/norms.ts';
import { DEFAULT_INTERVAL, isInterval, type IntervalMonths } from '../domain/reflection/schedule.ts';
import type { Answers } from '../domain/reflection/types.ts';
import { auditIn, auditRead, deny, isUuid, locked, type Actor } from './reflection-common.ts';
import { aadFor, open, seal, type Keyring } from './reflection-crypto.ts';
import type { Database } from './schema.ts';

/** Self-check storage: one encrypted payload per check-up, private to its owner. */

export interface CheckPayload {
  answers: Answers;
  /** Fixed at completion with the instruments' rules of that moment, so the report stays the same. */
  scores: { tears: TearsScaleScores; brs: number | null } | null;
}

export interface CheckMeta {
  id: string;
  status: 'draft' | 'completed';
  startedAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export interface CheckRecord extends CheckMeta {
  payload: CheckPayload;
}

const aad = (id: string, actor: { orgId: string; userId: string }) =>
  aadFor('self_checks', id, actor.orgId, actor.userId);

function meta(row: {
  id: string;
  status: 'draft' | 'completed';
  started_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}): CheckMeta {
  return {
    id: row.id,
    status: row.status,
    startedAt: new Date(row.started_at),
    updatedAt: new Date(row.updated_at),
    completedAt: row.completed_at ? new Date(row.completed_at) : null,
  };
}

export async function getInterval(db: Kysely<Database>, actor: Actor): Promise<IntervalMonths> {
  const row = await db
    .selectFrom('reflection_settings')
    .select('interval_months')
    .where('user_id', '=', actor.userId)
    .where('org_id', '=', actor.orgId)
    .executeTakeFirst();
  return row && isInterval(row.interval_months) ? row.interval_months : DEFAULT_INTERVAL;
}

export async function setInterval(db: Kysely<Database>, actor: Actor, months: IntervalMonths): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('reflection_settings')
      .values({ user_id: actor.userId, org_id: actor.orgId, interval_months: months })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ interval_months: months, updated_at: new Date() }))
      .execute();
    await auditIn(trx, actor, 'reflection.settings.write', 'reflection_settings', actor.userId, {
      intervalMonths: months,
    });
  });
}

/** The owner's check-ups, newest first (metadata only; nothing is decrypted). */
export async function listChecks(db: Kysely<Database>, actor: Actor): Promise<CheckMeta[]> {
  const rows = await db
    .selectFrom('self_checks')
    .select(['id', 'status', 'started_at', 'updated_at', 'completed_at'])
    .where('org_id', '=', actor.orgId)
    .where('user_id', '=', actor.userId)
    .orderBy('started_at', 'desc')
    .execute();
  await auditRead(db, actor, 'reflection.self_check.list', 'self_check', null, { count: rows.length });
  return rows.map(meta);
}

/** The current draft, or a new one. */
export async function startCheck(db: Kysely<Database>, keyring: Keyring, actor: Actor): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const draft = await trx
      .selectFrom('self_checks')
      .select('id')
      .where('org_id', '=', actor.orgId)
      .where('user_id', '=', actor.userId)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (draft) return draft.id;
    const id = randomUUID();
    const sealed = seal(keyring, { answers: {}, scores: null } satisfies CheckPayload, aad(id, actor));
    await trx
      .insertInto('self_checks')
      .values({ id, org_id: actor.orgId, user_id: actor.userId, key_id: sealed.keyId, ciphertext: sealed.ciphertext })
      .execute();
    await auditIn(trx, actor, 'reflection.self_check.create', 'self_check', id);
    return id;
  });
}

/** One of the owner's check-ups, decrypted; NOT_FOUND (audited as denied) for anyone else's. */
export async function readCheck(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  id: string,
  action = 'reflection.self_check.read',
): Promise<CheckRecord> {
  const row = isUuid(id)
    ? await db
        .selectFrom('self_checks')
        .selectAll()
        .where('id', '=', id)
        .where('org_id', '=', actor.orgId)
        .where('user_id', '=', actor.userId)
        .executeTakeFirst()
    : undefined;
  if (!row) return deny(db, actor, action, 'self_check', isUuid(id) ? id : null);
  if (!keyring.keys.has(row.key_id)) return locked(db, actor, action, 'self_check', row.id);
  const payload = open<CheckPayload>(keyring, { keyId: row.key_id, ciphertext: row.ciphertext }, aad(row.id, actor));
  await auditRead(db, actor, action, 'self_check', id);
  return { ...meta(row), payload };
}

/** Replaces the answers of a draft (the caller merged one module's answers in). */
export async function saveAnswers(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  id: string,
  answers: Answers,
  module: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('self_checks')
      .select(['id', 'status'])
      .where('id', '=', id)
      .where('org_id', '=', actor.orgId)
      .where('user_id', '=', actor.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new SpiegelError('NOT_FOUND');
    if (row.status !== 'draft')
      throw new SpiegelError('VALIDATION_FAILED', 'A completed check-up cannot be changed; start a new one.');
    const sealed = seal(keyring, { answers, scores: null } satisfies CheckPayload, aad(id, actor));
    await trx
      .updateTable('self_checks')
      .set({ key_id: sealed.keyId, ciphertext: sealed.ciphertext, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await auditIn(trx, actor, 'reflection.self_check.write', 'self_check', id, {
      module,
      answered: Object.keys(answers).length,
    });
  });
}

export async function completeCheck(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  id: string,
  payload: CheckPayload,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('self_checks')
      .select(['id', 'status'])
      .where('id', '=', id)
      .where('org_id', '=', actor.orgId)
      .where('user_id', '=', actor.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new SpiegelError('NOT_FOUND');
    if (row.status !== 'draft') throw new SpiegelError('VALIDATION_FAILED', 'This check-up is already completed.');
    const sealed = seal(keyring, payload, aad(id, actor));
    const now = new Date();
    await trx
      .updateTable('self_checks')
      .set({
        status: 'completed',
        completed_at: now,
        updated_at: now,
        key_id: sealed.keyId,
        ciphertext: sealed.ciphertext,
      })
      .where('id', '=', id)
      .execute();
    await auditIn(trx, actor, 'reflection.self_check.complete', 'self_check', id);
  });
}

/** The owner's last completed check-up before `before` (for "changes since"), decrypted. */
export async function previousCompleted(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  before: Date,
): Promise<CheckRecord | null> {
  const row = await db
    .selectFrom('self_checks')
    .selectAll()
    .where('org_id', '=', actor.orgId)
    .where('user_id', '=', actor.userId)
    .where('status', '=', 'completed')
    .where('completed_at', '<', before)
    .where('key_id', 'in', [...keyring.keys.keys()])
    .orderBy('completed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const payload = open<CheckPayload>(keyring, { keyId: row.key_id, ciphertext: row.ciphertext }, aad(row.id, actor));
  await auditRead(db, actor, 'reflection.self_check.read', 'self_check', row.id, { purpose: 'comparison' });
  return { ...meta(row), payload };
}

export async function deleteCheck(db: Kysely<Database>, actor: Actor, id: string): Promise<void> {
  if (!isUuid(id)) return deny(db, actor, 'reflection.self_check.delete', 'self_check', null);
  const deleted = await db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom('self_checks')
      .where('id', '=', id)
      .where('org_id', '=', actor.orgId)
      .where('user_id', '=', actor.userId)
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await trx
      .deleteFrom('reflection_shares')
      .where('item_type', '=', 'self_check')
      .where('item_id', '=', id)
      .where('owner_id', '=', actor.userId)
      .execute();
    await auditIn(trx, actor, 'reflection.self_check.delete', 'self_check', id);
    return true;
  });
  if (!deleted) await deny(db, actor, 'reflection.self_check.delete', 'self_check', id);
}

/** What the reminder needs: no decryption, no audit (dates only, of the caller's own schedule). */
export async function scheduleFacts(
  db: Kysely<Database>,
  actor: Actor,
): Promise<{ lastCompletedAt: Date | null; draftStartedAt: Date | null; intervalMonths: IntervalMonths }> {
  const rows = await db
    .selectFrom('self_checks')
    .select(['status', 'started_at', 'completed_at'])
    .where('org_id', '=', actor.orgId)
    .where('user_id', '=', actor.userId)
    .orderBy('started_at', 'desc')
    .limit(20)
    .execute();
  const draft = rows.find((r) => r.status === 'draft');
  const completed = rows.filter((r) => r.completed_at).map((r) => new Date(r.completed_at!).getTime());
  return {
    lastCompletedAt: completed.length ? new Date(Math.max(...completed)) : null,
    draftStartedAt: draft ? new Date(draft.started_at) : null,
    intervalMonths: await getInterval(db, actor),
  };
}
