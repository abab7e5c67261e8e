import type { ClientExport } from '../domain/gdpr/fhir.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import { appendAudit, eraseAuditDetails, type AuditEntry } from './audit.ts';
import type { Database } from './schema.ts';

// GDPR for one client: everything stored about them (for export) and erasure of all of it in one
// transaction, audited in that same transaction. Reads are scoped by organisation and, for a
// therapist, by the treating therapist: another's client is simply not found.

type Db = Kysely<Database> | Transaction<Database>;

export interface ClientScope {
  orgId: string;
  clientId: string;
  /** Set for a therapist (only their own clients); null for an admin (the whole organisation). */
  therapistId: string | null;
}

/**
 * Every table that holds client data, in the order erasure deletes it (children first). A test checks
 * this list against the foreign keys in the database, so a new table that references client data
 * fails the build until it is added here.
 */
export const CLIENT_DATA_TABLES = [
  'invitation_sends',
  'participant_contacts',
  'scores',
  'alerts',
  'responses',
  'invitations',
  'therapy_sessions',
  'measurement_plans',
  'participants',
  'episodes',
  'clients',
] as const;
export type ClientDataTable = (typeof CLIENT_DATA_TABLES)[number];

export async function findClient(db: Db, scope: ClientScope) {
  let query = db
    .selectFrom('clients')
    .select(['id', 'org_id', 'code', 'alias', 'therapist_id', 'created_at'])
    .where('org_id', '=', scope.orgId)
    .where('id', '=', scope.clientId);
  if (scope.therapistId) query = query.where('therapist_id', '=', scope.therapistId);
  return query.executeTakeFirst();
}

export async function findClientByCode(db: Db, orgId: string, code: string) {
  const client = await db
    .selectFrom('clients')
    .select(['id', 'code'])
    .where('org_id', '=', orgId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!client) return null;
  const [episodes, responses] = await Promise.all([
    db
      .selectFrom('episodes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('client_id', '=', client.id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('responses as r')
      .innerJoin('episodes as e', 'e.id', 'r.episode_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('e.org_id', '=', orgId)
      .where('e.client_id', '=', client.id)
      .executeTakeFirstOrThrow(),
  ]);
  return { ...client, episodes: Number(episodes.n), responses: Number(responses.n) };
}

/** Everything stored about one client, or null when the client is not in scope. */
export async function loadClientExport(db: Db, scope: ClientScope): Promise<ClientExport | null> {
  const client = await findClient(db, scope);
  if (!client) return null;
  const episodes = await db
    .selectFrom('episodes')
    .select([
      'id',
      'modality',
      'status',
      sql<string>`started_on::text`.as('started_on'),
      sql<string | null>`ended_on::text`.as('ended_on'),
    ])
    .where('org_id', '=', scope.orgId)
    .where('client_id', '=', client.id)
    .orderBy('started_on')
    .execute();
  const ids = episodes.map((e) => e.id);
  if (ids.length === 0) return { client, episodes, participants: [], responses: [], scores: [] };
  const [participants, responses, scores] = await Promise.all([
    db
      .selectFrom('participants')
      .select(['id', 'episode_id', 'label'])
      .where('org_id', '=', scope.orgId)
      .where('episode_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('responses')
      .select([
        'id',
        'episode_id',
        'participant_id',
        'instrument_id',
        'instrument_version',
        'session_number',
        'submitted_at',
        'questionnaire_response',
      ])
      .where('org_id', '=', scope.orgId)
      .where('episode_id', 'in', ids)
      .orderBy('submitted_at')
      .execute(),
    db
      .selectFrom('scores')
      .select([
        'response_id',
        'scale_id',
        'episode_id',
        'participant_id',
        'instrument_id',
        'session_number',
        'value',
        'band',
        'risk',
        'measured_at',
      ])
      .where('org_id', '=', scope.orgId)
      .where('episode_id', 'in', ids)
      .orderBy('measured_at')
      .orderBy('scale_id')
      .execute(),
  ]);
  return { client, episodes, participants, responses, scores };
}

export type ErasureCounts = Record<ClientDataTable, number>;

/**
 * Deletes the client and everything that hangs off them, children first, in the caller's
 * transaction, clears the details of the audit rows about the client and its episodes, and appends
 * the audit row in that same transaction. Returns null when not in scope.
 */
export async function eraseClient(
  trx: Transaction<Database>,
  scope: ClientScope,
  auditEntry: Omit<AuditEntry, 'action' | 'subjectType' | 'subjectId' | 'outcome'>,
  reason: 'request' | 'retention',
): Promise<ErasureCounts | null> {
  let lookup = trx
    .selectFrom('clients')
    .select(['id'])
    .where('org_id', '=', scope.orgId)
    .where('id', '=', scope.clientId)
    .forUpdate();
  if (scope.therapistId) lookup = lookup.where('therapist_id', '=', scope.therapistId);
  const client = await lookup.executeTakeFirst();
  if (!client) return null;
  const episodeIds = (
    await trx
      .selectFrom('episodes')
      .select('id')
      .where('org_id', '=', scope.orgId)
      .where('client_id', '=', client.id)
      .execute()
  ).map((e) => e.id);
  const counts = Object.fromEntries(CLIENT_DATA_TABLES.map((t) => [t, 0])) as ErasureCounts;
  const byEpisode = [
    'invitation_sends',
    'participant_contacts',
    'scores',
    'alerts',
    'responses',
    'invitations',
    'therapy_sessions',
    'measurement_plans',
    'participants',
  ] as const;
  if (episodeIds.length > 0) {
    for (const table of byEpisode) {
      const result = await trx.deleteFrom(table).where('episode_id', 'in', episodeIds).executeTakeFirst();
      counts[table] = Number(result.numDeletedRows);
    }
    counts.episodes = Number(
      (await trx.deleteFrom('episodes').where('id', 'in', episodeIds).executeTakeFirst()).numDeletedRows,
    );
  }
  counts.clients = Number(
    (await trx.deleteFrom('clients').where('id', '=', client.id).executeTakeFirst()).numDeletedRows,
  );
  // Audit rows about the client keep what the chain needs (it commits to a hash of their details).
  const auditDetailsErased = await eraseAuditDetails(trx, scope.orgId, { clientId: client.id, episodeIds });
  await appendAudit(trx, {
    ...auditEntry,
    action: 'gdpr.erase',
    subjectType: 'client',
    subjectId: client.id,
    outcome: 'ok',
    details: { reason, counts, auditDetailsErased },
  });
  return counts;
}

/**
 * Tables whose rows reference client data through foreign keys, found in the live catalog. Used by
 * the test that keeps CLIENT_DATA_TABLES complete.
 */
export async function tablesReferencingClientData(db: Db): Promise<string[]> {
  const result = await sql<{ child: string; parent: string }>`
    SELECT DISTINCT tc.table_name AS child, ccu.table_name AS parent
    FROM information_schema.table_constraints tc
    JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.constraint_schema
    WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()`.execute(db);
  const found = new Set<string>(['clients']);
  let grew = true;
  while (grew) {
    grew = false;
    for (const { child, parent } of result.rows) {
      if (found.has(parent) && !found.has(child)) {
        found.add(child);
        grew = true;
      }
    }
  }
  return [...found].sort();
}

/**
 * After an erasure has committed, on PGlite: rewrite the tables that held the client's data (VACUUM FULL
 * writes new files without the deleted rows and rebuilds their indexes) and CHECKPOINT, so the data
 * directory, and any backup taken from now on, no longer holds the erased values. On PostgreSQL this is
 * left to autovacuum (VACUUM FULL would lock busy tables); docs/security.md says what backups still hold.
 */
export async function scrubAfterErasure(store: {
  db: Db;
  dialect: 'pglite' | 'postgres';
  pglite: { zeroWalSegments(dir: string, keep: string): Promise<number> } | null;
}): Promise<void> {
  if (store.dialect !== 'pglite') return;
  for (const table of [...CLIENT_DATA_TABLES, 'audit_log'])
    await sql`VACUUM FULL ${sql.table(table)}`.execute(store.db);
  // The WAL still holds the deleted rows: start a new segment and checkpoint twice, so no older segment is
  // needed any more. PostgreSQL keeps old segments for reuse under new names, with their old bytes, so
  // every segment but the current one is overwritten with zeros (what wal_init_zero does for new ones).
  await sql`SELECT pg_switch_wal()`.execute(store.db);
  await sql`CHECKPOINT`.execute(store.db);
  await sql`CHECKPOINT`.execute(store.db);
  const current = await sql<{ name: string; dir: string }>`
    SELECT pg_walfile_name(pg_current_wal_lsn()) AS name, current_setting('data_directory') AS dir`.execute(store.db);
  const { name, dir } = current.rows[0];
  await store.pglite?.zeroWalSegments(dir, name);
}
