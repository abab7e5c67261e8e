import { sql, type Kysely } from 'kysely';
import { appendAudit } from './audit.ts';
import type { Database } from './schema.ts';

// What the home page lists per role. Each list is one indexed query bounded by a limit; the therapist's
// lists are scoped to their own active episodes, the others to their own items or to counts.

interface Who {
  orgId: string;
  userId: string;
  roles: string[];
  ip: string;
}

const LIMIT = 20;

/** The therapist's open risk alerts, planned sessions this week, unanswered invitations, new comments. */
export async function therapistHome(db: Kysely<Database>, who: Who, now = new Date()) {
  const weekAhead = new Date(now.getTime() + 7 * 86_400_000);
  const [risks, due, pending, comments] = await Promise.all([
    db
      .selectFrom('alerts as a')
      .innerJoin('episodes as e', 'e.id', 'a.episode_id')
      .innerJoin('clients as c', 'c.id', 'e.client_id')
      .select(['a.id', 'a.episode_id', 'a.reason', 'a.created_at', 'c.code', 'c.alias'])
      // The participant the alert names, in the same round trip (by the episode's participants).
      .select(
        sql<
          string | null
        >`(SELECT p.label FROM participants p WHERE p.episode_id = a.episode_id AND p.id::text = a.reason->>'participantId')`.as(
          'participant_label',
        ),
      )
      .where('a.org_id', '=', who.orgId)
      .where('e.therapist_id', '=', who.userId)
      .where('e.status', '=', 'active')
      .where('a.rule', '=', 'risk')
      .where('a.acknowledged_at', 'is', null)
      .orderBy('a.created_at', 'desc')
      .limit(LIMIT)
      .execute(),
    db
      .selectFrom('therapy_sessions as s')
      .innerJoin('episodes as e', 'e.id', 's.episode_id')
      .innerJoin('clients as c', 'c.id', 'e.client_id')
      .select(['s.episode_id', 's.number', 's.planned_at', 'c.code', 'c.alias'])
      .where('s.status', '=', 'planned')
      .where('s.planned_at', '>=', now)
      .where('s.planned_at', '<', weekAhead)
      .where('e.org_id', '=', who.orgId)
      .where('e.therapist_id', '=', who.userId)
      .where('e.status', '=', 'active')
      .orderBy('s.planned_at')
      .limit(LIMIT)
      .execute(),
    db
      .selectFrom('invitations as i')
      .innerJoin('episodes as e', 'e.id', 'i.episode_id')
      .innerJoin('clients as c', 'c.id', 'e.client_id')
      .innerJoin('participants as p', 'p.id', 'i.participant_id')
      .select(['i.id', 'i.episode_id', 'i.session_number', 'i.created_at', 'c.code', 'c.alias', 'p.label'])
      .where('e.org_id', '=', who.orgId)
      .where('e.therapist_id', '=', who.userId)
      .where('e.status', '=', 'active')
      .where('i.used_at', 'is', null)
      .where('i.revoked_at', 'is', null)
      .where('i.expires_at', '>', now)
      .orderBy('i.created_at')
      .limit(LIMIT)
      .execute(),
    db
      .selectFrom('reflection_comments as rc')
      .innerJoin('reflection_shares as rs', 'rs.id', 'rc.share_id')
      .innerJoin('users as u', 'u.id', 'rc.author_id')
      .select(['rc.id', 'rs.item_type', 'rs.item_id', 'rc.created_at', 'u.display_name'])
      .where('rs.org_id', '=', who.orgId)
      .where('rs.owner_id', '=', who.userId)
      .where('rc.author_id', '<>', who.userId)
      .where('rc.created_at', '>', new Date(now.getTime() - 14 * 86_400_000))
      .orderBy('rc.created_at', 'desc')
      .limit(LIMIT)
      .execute(),
  ]);
  await appendAudit(db, {
    orgId: who.orgId,
    actorId: who.userId,
    actorRole: who.roles.join(','),
    ip: who.ip,
    action: 'home.read',
    subjectType: 'therapist',
    subjectId: who.userId,
    outcome: 'ok',
    // The home page also shows the caseload's off-track statuses (read without an audit row of its own).
    details: { risks: risks.length, due: due.length, pending: pending.length, caseloadStatuses: true },
  });
  return { risks, due, pending, comments };
}

/** Items shared with a supervisor in the last 14 days (no content: who, what kind, when). */
export async function supervisorHome(db: Kysely<Database>, who: Who, now = new Date()) {
  return db
    .selectFrom('reflection_shares as rs')
    .innerJoin('users as u', 'u.id', 'rs.owner_id')
    .select(['rs.id', 'rs.item_type', 'rs.created_at', 'u.display_name'])
    .where('rs.org_id', '=', who.orgId)
    .where('rs.supervisor_id', '=', who.userId)
    .where('rs.revoked_at', 'is', null)
    .where('rs.created_at', '>', new Date(now.getTime() - 14 * 86_400_000))
    .orderBy('rs.created_at', 'desc')
    .limit(LIMIT)
    .execute();
}

/** Counts only: what waits for an administrator or manager of the organisation. */
export async function organisationActions(db: Kysely<Database>, orgId: string, now = new Date()) {
  const [locked, pendingStaff, oldRisks] = await Promise.all([
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('locked_until', '>', now)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('password_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(sql<number>`count(DISTINCT t.user_id)`.as('n'))
      .where('t.org_id', '=', orgId)
      .where('t.purpose', '=', 'invite')
      .where('t.used_at', 'is', null)
      .where('u.password_hash', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('rule', '=', 'risk')
      .where('acknowledged_at', 'is', null)
      .where('created_at', '<', new Date(now.getTime() - 2 * 86_400_000))
      .where('created_at', '>', new Date(now.getTime() - 90 * 86_400_000))
      .executeTakeFirstOrThrow(),
  ]);
  return { locked: Number(locked.n), pendingStaff: Number(pendingStaff.n), oldRisks: Number(oldRisks.n) };
}
