import type { Kysely, Transaction } from 'kysely';
import { SpiegelError } from '../../domain/errors.ts';
import type { Database } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
}

/** The organisation's teams with their members (therapists), by name. */
export async function listTeams(db: Db, orgId: string): Promise<Team[]> {
  const teams = await db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .orderBy('name')
    .execute();
  const members = await db
    .selectFrom('team_members')
    .select(['team_id', 'user_id'])
    .where('org_id', '=', orgId)
    .execute();
  return teams.map((t) => ({
    ...t,
    memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.user_id),
  }));
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 80)
    throw new SpiegelError('VALIDATION_FAILED', 'body.name must be 1 to 80 characters.', {
      fields: [{ field: 'body.name', message: 'must be 1 to 80 characters' }],
    });
  return trimmed;
}

async function assertFreeName(db: Db, orgId: string, name: string, except: string | null): Promise<void> {
  let query = db.selectFrom('teams').select('id').where('org_id', '=', orgId).where('name', '=', name);
  if (except) query = query.where('id', '<>', except);
  if (await query.executeTakeFirst())
    throw new SpiegelError('TEAM_NAME_TAKEN', `A team named "${name}" already exists.`, { field: 'body.name' });
}

export async function createTeam(db: Db, orgId: string, name: string): Promise<string> {
  const clean = cleanName(name);
  await assertFreeName(db, orgId, clean, null);
  const row = await db
    .insertInto('teams')
    .values({ org_id: orgId, name: clean })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function teamOf(db: Db, orgId: string, teamId: string): Promise<{ id: string; name: string }> {
  const team = await db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('id', '=', teamId)
    .executeTakeFirst();
  if (!team) throw new SpiegelError('NOT_FOUND', 'No such team.', { teamId });
  return team;
}

/**
 * Renames a team and replaces its members. Members must be active therapists of the organisation;
 * anything else is refused and nothing changes.
 */
export async function updateTeam(
  db: Db,
  orgId: string,
  teamId: string,
  change: { name: string; memberIds: string[] },
): Promise<{ before: Team; after: Team }> {
  const team = await teamOf(db, orgId, teamId);
  const name = cleanName(change.name);
  await assertFreeName(db, orgId, name, teamId);
  const ids = [...new Set(change.memberIds)];
  if (ids.length > 0) {
    const valid = await db
      .selectFrom('users')
      .select('id')
      .where('org_id', '=', orgId)
      .where('id', 'in', ids)
      .where((eb) => eb(eb.val('therapist'), '=', eb.fn.any('roles')))
      .execute();
    if (valid.length !== ids.length)
      throw new SpiegelError('VALIDATION_FAILED', 'body.members must be therapists of this organisation.', {
        fields: [{ field: 'body.members', message: 'contains someone who is not a therapist here' }],
      });
  }
  const before = (await listTeams(db, orgId)).find((t) => t.id === teamId)!;
  await db.updateTable('teams').set({ name }).where('id', '=', team.id).execute();
  await db.deleteFrom('team_members').where('team_id', '=', team.id).execute();
  if (ids.length > 0)
    await db
      .insertInto('team_members')
      .values(ids.map((user_id) => ({ team_id: team.id, org_id: orgId, user_id })))
      .execute();
  return { before, after: { id: team.id, name, memberIds: ids } };
}

export async function deleteTeam(db: Db, orgId: string, teamId: string): Promise<Team> {
  await teamOf(db, orgId, teamId);
  const before = (await listTeams(db, orgId)).find((t) => t.id === teamId)!;
  await db.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  await db.deleteFrom('teams').where('id', '=', teamId).execute();
  return before;
}
