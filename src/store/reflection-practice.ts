import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { ScorePoint } from '../domain/reflection/outcome-trend.ts';
import { isSkill, type GoalContent, type LogContent, type Skill } from '../domain/reflection/practice.ts';
import { auditIn, auditRead, deny, isUuid, locked, type Actor } from './reflection-common.ts';
import { aadFor, open, seal, type Keyring } from './reflection-crypto.ts';
import type { Database } from './schema.ts';

/** Deliberate-practice storage: goals and log entries, free text encrypted, dates and minutes clear. */

export interface PracticeGoal {
  id: string;
  skill: Skill;
  createdAt: Date;
  archivedAt: Date | null;
  content: GoalContent;
}

export interface PracticeLog {
  id: string;
  goalId: string;
  skill: Skill;
  practisedOn: string;
  minutes: number;
  content: LogContent;
}

const goalAad = (id: string, a: { orgId: string; userId: string }) => aadFor('practice_goals', id, a.orgId, a.userId);
const logAad = (id: string, a: { orgId: string; userId: string }) => aadFor('practice_logs', id, a.orgId, a.userId);

export async function createGoal(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  skill: Skill,
  content: GoalContent,
): Promise<string> {
  const id = randomUUID();
  const sealed = seal(keyring, content, goalAad(id, actor));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('practice_goals')
      .values({
        id,
        org_id: actor.orgId,
        user_id: actor.userId,
        skill,
        key_id: sealed.keyId,
        ciphertext: sealed.ciphertext,
      })
      .execute();
    await auditIn(trx, actor, 'reflection.practice.goal.create', 'practice_goal', id, { skill });
  });
  return id;
}

function toGoal(
  keyring: Keyring,
  actor: Actor,
  row: { id: string; skill: string; created_at: Date; archived_at: Date | null; key_id: string; ciphertext: string },
): PracticeGoal {
  return {
    id: row.id,
    skill: isSkill(row.skill) ? row.skill : 'custom',
    createdAt: new Date(row.created_at),
    archivedAt: row.archived_at ? new Date(row.archived_at) : null,
    content: open<GoalContent>(keyring, { keyId: row.key_id, ciphertext: row.ciphertext }, goalAad(row.id, actor)),
  };
}

export async function listGoals(db: Kysely<Database>, keyring: Keyring, actor: Actor): Promise<PracticeGoal[]> {
  const rows = await db
    .selectFrom('practice_goals')
    .selectAll()
    .where('org_id', '=', actor.orgId)
    .where('user_id', '=', actor.userId)
    .orderBy('created_at')
    .execute();
  await auditRead(db, actor, 'reflection.practice.goal.list', 'practice_goal', null, { count: rows.length });
  return rows.filter((row) => keyring.keys.has(row.key_id)).map((row) => toGoal(keyring, actor, row));
}

export async function readGoal(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  id: string,
): Promise<PracticeGoal> {
  const row = isUuid(id)
    ? await db
        .selectFrom('practice_goals')
        .selectAll()
        .where('id', '=', id)
        .where('org_id', '=', actor.orgId)
        .where('user_id', '=', actor.userId)
        .executeTakeFirst()
    : undefined;
  if (!row) return deny(db, actor, 'reflection.practice.goal.read', 'practice_goal', isUuid(id) ? id : null);
  if (!keyring.keys.has(row.key_id)) return locked(db, actor, 'reflection.practice.goal.read', 'practice_goal', id);
  await auditRead(db, actor, 'reflection.practice.goal.read', 'practice_goal', id);
  return toGoal(keyring, actor, row);
}

export async function archiveGoal(db: Kysely<Database>, actor: Actor, id: string): Promise<void> {
  if (!isUuid(id)) return deny(db, actor, 'reflection.practice.goal.archive', 'practice_goal', null);
  const done = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('practice_goals')
      .set({ archived_at: new Date() })
      .where('id', '=', id)
      .where('org_id', '=', actor.orgId)
      .where('user_id', '=', actor.userId)
      .where('archived_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (row) await auditIn(trx, actor, 'reflection.practice.goal.archive', 'practice_goal', id);
    return Boolean(row);
  });
  if (!done) await deny(db, actor, 'reflection.practice.goal.archive', 'practice_goal', id);
}

export async function logPractice(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  input: { goalId: string; practisedOn: string; minutes: number; content: LogContent },
): Promise<string> {
  const goal = await db
    .selectFrom('practice_goals')
    .select('id')
    .where('id', '=', input.goalId)
    .where('org_id', '=', actor.orgId)
    .where('user_id', '=', actor.userId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (!goal) return deny(db, actor, 'reflection.practice.log.create', 'practice_goal', input.goalId);
  const id = randomUUID();
  const sealed = seal(keyring, input.content, logAad(id, actor));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('practice_logs')
      .values({
        id,
        org_id: actor.orgId,
        user_id: actor.userId,
        goal_id: input.goalId,
        practised_on: input.practisedOn,
        minutes: input.minutes,
        key_id: sealed.keyId,
        ciphertext: sealed.ciphertext,
      })
      .execute();
    await auditIn(trx, actor, 'reflection.practice.log.create', 'practice_log', id, {
      goalId: input.goalId,
      minutes: input.minutes,
    });
  });
  return id;
}

/** Log entries from `from` (yyyy-mm-dd) on, optionally of one goal, newest first, decrypted. */
export async function listLogs(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  options: { from?: string; goalId?: string } = {},
): Promise<PracticeLog[]> {
  let query = db
    .selectFrom('practice_logs as l')
    .innerJoin('practice_goals as g', 'g.id', 'l.goal_id')
    .select([
      'l.id',
      'l.goal_id',
      'g.skill',
      'l.minutes',
      'l.key_id',
      'l.ciphertext',
      sql<string>`to_char(l.practised_on, 'YYYY-MM-DD')`.as('day'),
    ])
    .where('l.org_id', '=', actor.orgId)
    .where('l.user_id', '=', actor.userId);
  if (options.from) query = query.where(sql<boolean>`l.practised_on >= ${options.from}::date`);
  if (options.goalId) query = query.where('l.goal_id', '=', options.goalId);
  const rows = await query.orderBy('l.practised_on', 'desc').orderBy('l.created_at', 'desc').execute();
  await auditRead(db, actor, 'reflection.practice.log.list', 'practice_log', null, {
    count: rows.length,
    goalId: options.goalId ?? null,
  });
  return rows
    .filter((row) => keyring.keys.has(row.key_id))
    .map((row) => ({
      id: row.id,
      goalId: row.goal_id,
      skill: isSkill(row.skill) ? row.skill : 'custom',
      practisedOn: row.day,
      minutes: row.minutes,
      content: open<LogContent>(keyring, { keyId: row.key_id, ciphertext: row.ciphertext }, logAad(row.id, actor)),
    }));
}

/** Minutes logged between two moments (for the self-check's maintenance section); no free text read. */
export async function minutesLogged(
  db: Kysely<Database>,
  actor: Actor,
  since: Date | null,
  until: Date,
): Promise<number> {
  let query = db
    .selectFrom('practice_logs')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('minutes'), sql<number>`0`).as('total'))
    .where('org_id', '=', actor.orgId)
    .where('user_id', '=', actor.userId)
    .where('created_at', '<=', until);
  if (since) query = query.where('created_at', '>', since);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.total);
}

/**
 * The therapist's own score series for the scale with the most measurements (the descriptive trend
 * beside the practice chart). Reads clients' scores of the caller's own episodes only; audited.
 */
export async function ownScoreSeries(
  db: Kysely<Database>,
  actor: Actor,
  since: Date,
): Promise<{ instrumentId: string; scaleId: string; points: ScorePoint[] } | null> {
  const top = await db
    .selectFrom('scores')
    .select(['instrument_id', 'scale_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', actor.orgId)
    .where('therapist_id', '=', actor.userId)
    .where('value', 'is not', null)
    .where('measured_at', '>=', since)
    .groupBy(['instrument_id', 'scale_id'])
    .orderBy('n', 'desc')
    .orderBy('instrument_id')
    .limit(1)
    .executeTakeFirst();
  if (!top) return null;
  // Whole history of the series that have a point in the window, so each series has its true baseline.
  const rows = await db
    .selectFrom('scores')
    .select(['episode_id', 'participant_id', 'measured_at', 'value'])
    .where('org_id', '=', actor.orgId)
    .where('therapist_id', '=', actor.userId)
    .where('instrument_id', '=', top.instrument_id)
    .where('scale_id', '=', top.scale_id)
    .where('value', 'is not', null)
    .where('participant_id', 'in', (eb) =>
      eb
        .selectFrom('scores')
        .select('participant_id')
        .where('org_id', '=', actor.orgId)
        .where('therapist_id', '=', actor.userId)
        .where('instrument_id', '=', top.instrument_id)
        .where('measured_at', '>=', since),
    )
    .execute();
  await auditRead(db, actor, 'reflection.practice.outcome_trend.read', 'practice_goal', null, {
    instrumentId: top.instrument_id,
    scaleId: top.scale_id,
    points: rows.length,
  });
  return {
    instrumentId: top.instrument_id,
    scaleId: top.scale_id,
    points: rows.map((r) => ({
      series: `${r.episode_id}/${r.participant_id}`,
      measuredAt: new Date(r.measured_at),
      value: r.value as number,
    })),
  };
}
