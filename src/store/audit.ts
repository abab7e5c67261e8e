import { sql, type Kysely, type Transaction } from 'kysely';
import { auditFields, auditHash, detailsHash, GENESIS_HASH, type AuditFields } from '../domain/audit/chain.ts';
import type { Database } from './schema.ts';

export interface AuditEntry {
  orgId: string | null;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  subjectType?: string | null;
  subjectId?: string | null;
  ip?: string | null;
  outcome: 'allowed' | 'denied' | 'failed' | 'ok';
  details?: Record<string, unknown>;
}

/** The columns of one new audit row, as `insertInto('audit_log').values(...)` takes them. */
export type AuditInsertValues = Omit<AuditFields, 'seq' | 'at' | 'details' | 'details_hash'> & {
  at: Date;
  /** JSON text. */
  details: string;
};

/** Serialises sealers and retention: whoever holds it may extend or cut the chain. */
export const AUDIT_LOCK_KEY = 7_391_013;

/**
 * The values `appendAudit` inserts, for modules that insert audit rows as part of a bigger statement.
 * The chain columns are left out: the row starts pending and the sealer links it.
 */
export function auditInsertValues(entry: AuditEntry, at = new Date()): AuditInsertValues {
  return {
    org_id: entry.orgId,
    at,
    actor_id: entry.actorId,
    actor_role: entry.actorRole,
    action: entry.action,
    subject_type: entry.subjectType ?? null,
    subject_id: entry.subjectId ?? null,
    ip: entry.ip ?? null,
    outcome: entry.outcome,
    details: JSON.stringify(entry.details ?? {}),
  };
}

/**
 * Appends one audit row: a plain insert, no lock and no read, so audited writes never wait for each
 * other. Call it inside the transaction that reads or writes the data it records, so the trail and the
 * data commit together (a rolled-back row never exists). The row is pending until `sealAuditTrail`
 * chains it, usually within a second (the server's sealer, src/server/audit/sealer.ts).
 */
export async function appendAudit(trx: Transaction<Database> | Kysely<Database>, entry: AuditEntry): Promise<void> {
  await trx.insertInto('audit_log').values(auditInsertValues(entry)).execute();
}

/** Audits in its own transaction (for reads that have no write transaction of their own). */
export async function audit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, entry));
}

/** The hashed fields of a row as read back from the database: sealing and verification both use this. */
export function storedAuditFields(row: Omit<AuditFields, 'at'> & { at: Date | string }): AuditFields {
  return auditFields({ ...row, seq: Number(row.seq), at: new Date(row.at).toISOString() });
}

/**
 * Seals up to `batchSize` pending rows, in seq order, onto the end of the chain. The caller must hold
 * the audit lock in `trx`. One read of the chain's head, one read of pending rows, one UPDATE.
 */
async function sealBatch(trx: Transaction<Database>, batchSize: number): Promise<number> {
  const head = await trx
    .selectFrom('audit_log')
    .select(['chain_pos', 'hash'])
    .where('chain_pos', 'is not', null)
    .orderBy('chain_pos', 'desc')
    .limit(1)
    .executeTakeFirst();
  const pending = await trx
    .selectFrom('audit_log')
    .selectAll()
    .where('chain_pos', 'is', null)
    .orderBy('seq')
    .limit(batchSize)
    .execute();
  if (pending.length === 0) return 0;
  let pos = Number(head?.chain_pos ?? 0);
  let prev = head ? (head.hash ?? GENESIS_HASH) : GENESIS_HASH; // a head without hash was tampered with; verification reports it
  const links = pending.map((row) => {
    // The chain commits to a hash of the details, not the details (migration 064), so erasure can
    // clear them later (eraseAuditDetails) and the row still verifies.
    const dh = detailsHash(row.details);
    const hash = auditHash(prev, storedAuditFields({ ...row, details_hash: dh }));
    const link = { seq: Number(row.seq), pos: ++pos, prev, hash, dh };
    prev = hash;
    return link;
  });
  await sql`UPDATE audit_log AS a SET chain_pos = x.pos, prev_hash = x.prev, hash = x.hash, details_hash = x.dh
    FROM jsonb_to_recordset(${JSON.stringify(links)}::jsonb) AS x(seq bigint, pos bigint, prev text, hash text, dh text)
    WHERE a.seq = x.seq`.execute(trx);
  return pending.length;
}

/**
 * Seals every pending row inside `trx` (for retention, which must see a fully sealed chain). Takes
 * the audit lock, held until `trx` ends.
 */
export async function sealPendingAudit(trx: Transaction<Database>, batchSize = 5_000): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  let total = 0;
  for (;;) {
    const sealed = await sealBatch(trx, batchSize);
    total += sealed;
    if (sealed < batchSize) return total;
  }
}

/**
 * Chains pending audit rows in batches, one transaction per batch (under the audit lock), until none
 * is left; returns how many it sealed. Chain order is seal order: a row whose transaction commits
 * late is sealed after rows with a higher seq, which verification accepts because it walks chain_pos.
 */
export async function sealAuditTrail(db: Kysely<Database>, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
      return sealBatch(trx, batchSize);
    });
    total += sealed;
    if (sealed < batchSize) return total;
  }
}

/**
 * GDPR erasure: clears the details of the audit rows about a client (subject the client or one of its
 * episodes). Rows sealed since migration 064 commit to a hash of their details, so they still verify;
 * pending rows are sealed with the erased (NULL) details. Rows sealed before 022 commit to the details
 * themselves and keep them (docs/security.md). Returns how many rows were cleared.
 */
export async function eraseAuditDetails(
  trx: Transaction<Database>,
  orgId: string,
  subjects: { clientId: string; episodeIds: string[] },
): Promise<number> {
  const result = await trx
    .updateTable('audit_log')
    .set({ details: null })
    .where('org_id', '=', orgId)
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'client'), eb('subject_id', '=', subjects.clientId)]),
        ...(subjects.episodeIds.length > 0
          ? [eb.and([eb('subject_type', '=', 'episode'), eb('subject_id', 'in', subjects.episodeIds)])]
          : []),
      ]),
    )
    .where('details', 'is not', null)
    .where((eb) => eb.or([eb('chain_pos', 'is', null), eb('details_hash', 'is not', null)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// Verification (batched, and aware of retention checkpoints) lives in retention.ts: verifyAuditTrail.
