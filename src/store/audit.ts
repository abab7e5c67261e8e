import { sql, type Kysely, type Transaction } from 'kysely';
import { auditHash, GENESIS_HASH, type AuditFields } from '../domain/audit/chain.ts';
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

const AUDIT_LOCK_KEY = 7_391_013;

/**
 * Appends one hash-chained audit row. Call it inside the transaction that reads or writes the data
 * it records, so the trail and the data commit together. The advisory lock serialises appenders so
 * each row links to the true previous one.
 */
export async function appendAudit(trx: Transaction<Database> | Kysely<Database>, entry: AuditEntry): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date(); // timestamptz keeps microseconds; a JS Date has ms, so the hash input round-trips
  const fields: AuditFields = {
    seq,
    org_id: entry.orgId,
    at: at.toISOString(),
    actor_id: entry.actorId,
    actor_role: entry.actorRole,
    action: entry.action,
    subject_type: entry.subjectType ?? null,
    subject_id: entry.subjectId ?? null,
    ip: entry.ip ?? null,
    outcome: entry.outcome,
    details: entry.details ?? {},
  };
  await trx
    .insertInto('audit_log')
    .values({ ...fields, details: JSON.stringify(fields.details), prev_hash: prevHash, hash: auditHash(prevHash, fields) })
    .execute();
}

/** Audits in its own transaction (for reads that have no write transaction of their own). */
export async function audit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, entry));
}

// Verification (batched, and aware of retention checkpoints) lives in retention.ts: verifyAuditTrail.
