import { sql, type Kysely } from 'kysely';
import type { CompiledScorer } from '../../domain/instruments/compile.ts';
import type { Database } from '../schema.ts';
import { outcomeInstruments } from '../dashboards/instruments.ts';
import { refreshDashboardCells } from '../dashboards/refresh.ts';

/**
 * The demo organisation's structure and history for the manager dashboards: three teams with one
 * therapist in two of them, a fourth team too small to show figures for, invitations behind every
 * measurement (plus some that were never answered), a few sessions without a measurement, and alerts
 * handled after a realistic delay. Deterministic (hashes of row ids, no random()).
 */
export async function loadDemoDashboards(
  db: Kysely<Database>,
  orgId: string,
  scorers: CompiledScorer[],
): Promise<{ teams: number; cells: number }> {
  const therapists = await db
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where((eb) => eb(eb.val('therapist'), '=', eb.fn.any('roles')))
    .orderBy('email')
    .execute();
  const ids = therapists.map((t) => t.id);
  const third = Math.floor(ids.length / 3);
  const teams: Array<[string, string[]]> = [
    ['Team Amsterdam', ids.slice(0, third + 1)],
    ['Team Utrecht', ids.slice(third, 2 * third)],
    ['Team Jeugd en gezin', ids.slice(2 * third)],
    ['Team Leiden (opstart)', ids.slice(2 * third, 2 * third + 3)],
  ];
  await db.transaction().execute(async (trx) => {
    for (const [name, members] of teams) {
      const { id } = await trx
        .insertInto('teams')
        .values({ org_id: orgId, name })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('team_members')
        .values(members.map((user_id) => ({ team_id: id, org_id: orgId, user_id })))
        .execute();
    }
    // One invitation behind each measured session, opened an hour before it was answered.
    await sql`
      INSERT INTO invitations (org_id, episode_id, participant_id, token_hash, instrument_ids, lang, expires_at, used_at, opened_at, created_at, session_number)
      SELECT org_id, episode_id, participant_id, md5(id::text || ':demo') || md5(id::text), ARRAY['phq9', 'spiegel-alliance'], 'nl',
             submitted_at + interval '5 days', submitted_at, submitted_at - interval '1 hour', submitted_at - interval '2 hours', session_number
      FROM responses WHERE org_id = ${orgId} AND instrument_id = 'phq9'`.execute(trx);
    // About one in eight sessions also had an earlier link that expired unanswered (half of them opened).
    await sql`
      INSERT INTO invitations (org_id, episode_id, participant_id, token_hash, instrument_ids, lang, expires_at, opened_at, created_at, session_number)
      SELECT org_id, episode_id, participant_id, md5(id::text || ':expired') || md5(id::text || 'x'), ARRAY['phq9', 'spiegel-alliance'], 'nl',
             submitted_at - interval '2 days', CASE WHEN hashtext(id::text) % 2 = 0 THEN submitted_at - interval '8 days' END,
             submitted_at - interval '9 days', session_number
      FROM responses WHERE org_id = ${orgId} AND instrument_id = 'phq9' AND abs(hashtext(id::text)) % 8 = 0`.execute(
      trx,
    );
    // A quarter of the ended episodes had a last session without a measurement.
    await sql`
      INSERT INTO therapy_sessions (org_id, episode_id, number, held_on)
      SELECT e.org_id, e.id, (SELECT max(number) + 1 FROM therapy_sessions t WHERE t.episode_id = e.id), e.ended_on
      FROM episodes e
      WHERE e.org_id = ${orgId} AND e.ended_on IS NOT NULL AND abs(hashtext(e.id::text)) % 4 = 0
        AND EXISTS (SELECT 1 FROM therapy_sessions t WHERE t.episode_id = e.id)`.execute(trx);
    // Handled alerts: from an hour to ten days after they were raised.
    await sql`
      UPDATE alerts SET acknowledged_at = created_at + make_interval(hours => 1 + abs(hashtext(id::text)) % 240)
      WHERE org_id = ${orgId} AND acknowledged_at IS NOT NULL`.execute(trx);
  });
  const { cells } = await refreshDashboardCells(db, orgId, await outcomeInstruments(db, orgId, scorers));
  return { teams: teams.length, cells };
}
