import type { Kysely } from 'kysely';
import { SpiegelError } from '../domain/errors.ts';
import type { StaffIdentity } from '../domain/roles.ts';
import { appendAudit } from './audit.ts';
import type { Database } from './schema.ts';

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
    if (existing) throw codeInUse(input.code);
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

function codeInUse(code: string): SpiegelError {
  return new SpiegelError('VALIDATION_FAILED', `body.code "${code}" is already in use in this organisation.`, {
    fields: [{ field: 'body.code', message: 'is already in use' }],
  });
}

/** Changes a client's code or alias. The code stays unique in the organisation. */
export async function updateClient(
  db: Kysely<Database>,
  actor: Actor,
  clientId: string,
  input: { code: string; alias: string | null },
) {
  return db.transaction().execute(async (trx) => {
    const own = await trx
      .selectFrom('clients')
      .select('id')
      .where('id', '=', clientId)
      .where('org_id', '=', actor.staff.orgId)
      .where('therapist_id', '=', actor.staff.userId)
      .executeTakeFirst();
    if (!own) throw notFound('Client', clientId);
    const clash = await trx
      .selectFrom('clients')
      .select('id')
      .where('org_id', '=', actor.staff.orgId)
      .where('code', '=', input.code)
      .where('id', '<>', clientId)
      .executeTakeFirst();
    if (clash) throw codeInUse(input.code);
    await trx.updateTable('clients').set({ code: input.code, alias: input.alias }).where('id', '=', clientId).execute();
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'client.update',
      subjectType: 'client',
      subjectId: clientId,
      outcome: 'ok',
    });
  });
}

/** The caller's clients, each with its episodes; `q` matches code or alias (case-insensitive). */
export async function listClients(db: Kysely<Database>, actor: Actor, q = '') {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('clients')
      .select(['id', 'code', 'alias', 'created_at'])
      .where('org_id', '=', actor.staff.orgId)
      .where('therapist_id', '=', actor.staff.userId);
    const needle = q.trim().toLowerCase();
    if (needle) {
      const like = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([eb(eb.fn('lower', ['code']), 'like', like), eb(eb.fn('lower', ['alias']), 'like', like)]),
      );
    }
    const rows = await query.orderBy('code').limit(500).execute();
    const episodes = rows.length
      ? await trx
          .selectFrom('episodes')
          .select(['id', 'client_id', 'modality', 'status', 'started_on'])
          .where('org_id', '=', actor.staff.orgId)
          .where(
            'client_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('started_on', 'desc')
          .execute()
      : [];
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'client.list',
      subjectType: 'client',
      outcome: 'ok',
      details: { count: rows.length, search: needle.length > 0 },
    });
    return rows.map((r) => ({ ...r, episodes: episodes.filter((e) => e.client_id === r.id) }));
  });
}

export { auditBase };
