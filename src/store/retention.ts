import { sql, type Kysely } from 'kysely';
import { auditHash, GENESIS_HASH, type ChainProblem } from '../domain/audit/chain.ts';
import { appendAudit } from './audit.ts';
import { eraseClient } from './gdpr.ts';
import type { Database } from './schema.ts';
import { securitySettings } from './users.ts';

// Retention: deleting old audit rows without losing verifiability, and erasing client data whose
// episodes ended long ago. Both follow each organisation's settings (`auditRetentionDays`,
// `clientRetentionYears`) and do nothing when they are unset.
//
// The audit chain is one chain for the whole instance. Deleting rows from its middle would break
// every later link, so retention only ever deletes a *prefix*: rows 1..N, where every row is past the
// retention of its organisation. In the same transaction it appends a `retention.checkpoint` row
// recording N and the hash of row N. Verification then starts at row N+1 and expects its prev_hash
// to be that recorded hash; the checkpoint row itself is covered by the chain like any other row.

export const CHECKPOINT_ACTION = 'retention.checkpoint';
/** The key store/audit.ts serialises appenders with; retention holds it while it cuts the chain. */
const AUDIT_LOCK_KEY = 7_391_013;
const DAY_MS = 86_400_000;

export interface Checkpoint {
  throughSeq: number;
  lastHash: string;
}

export interface AuditRetentionResult {
  deleted: number;
  throughSeq: number | null;
}

/** Deletes the oldest audit rows that every organisation's retention allows, leaving a checkpoint. */
export async function applyAuditRetention(db: Kysely<Database>, now = new Date()): Promise<AuditRetentionResult> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
    const orgs = await trx.selectFrom('organisations').select(['id', 'settings']).execute();
    const days = new Map(orgs.map((o) => [o.id, securitySettings(o.settings ?? {}).auditRetentionDays]));
    const configured = [...days.values()].filter((d): d is number => d !== null);
    if (configured.length === 0) return { deleted: 0, throughSeq: null };
    const bounds = await trx.selectFrom('audit_log').select((eb) => [eb.fn.min('seq').as('first'), eb.fn.max('seq').as('last')]).executeTakeFirstOrThrow();
    if (bounds.first === null || bounds.last === null) return { deleted: 0, throughSeq: null };

    // The first row someone still needs: per organisation, its oldest row inside its retention (all of
    // its rows when it keeps them forever); rows without an organisation follow the longest retention.
    let keepFrom = Number(bounds.last); // the newest row always stays, so the chain keeps a head
    const firstKept = async (orgId: string | null, retentionDays: number | null) => {
      let query = trx.selectFrom('audit_log').select((eb) => eb.fn.min('seq').as('seq'));
      query = orgId === null ? query.where('org_id', 'is', null) : query.where('org_id', '=', orgId);
      if (retentionDays !== null) query = query.where('at', '>=', new Date(now.getTime() - retentionDays * DAY_MS));
      const row = await query.executeTakeFirst();
      return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
    };
    for (const [orgId, retention] of days) {
      const seq = await firstKept(orgId, retention);
      if (seq !== null) keepFrom = Math.min(keepFrom, seq);
    }
    const systemSeq = await firstKept(null, Math.max(...configured));
    if (systemSeq !== null) keepFrom = Math.min(keepFrom, systemSeq);
    // Rows of organisations that no longer exist never block (there is no one to keep them for).

    const throughSeq = keepFrom - 1;
    if (throughSeq < Number(bounds.first)) return { deleted: 0, throughSeq: null };
    const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).where('seq', '<=', throughSeq).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const deleted = Number((await trx.deleteFrom('audit_log').where('seq', '<=', throughSeq).executeTakeFirst()).numDeletedRows);
    await appendAudit(trx, {
      orgId: null,
      actorId: null,
      actorRole: 'system',
      action: CHECKPOINT_ACTION,
      outcome: 'ok',
      details: { throughSeq: Number(last.seq), lastHash: last.hash, deleted, at: now.toISOString() },
    });
    return { deleted, throughSeq: Number(last.seq) };
  });
}

export interface VerifyResult {
  rows: number;
  firstSeq: number | null;
  checkpoint: Checkpoint | null;
  problems: ChainProblem[];
}

function readCheckpoint(details: unknown): Checkpoint | null {
  const d = details as { throughSeq?: unknown; lastHash?: unknown } | null;
  return d && typeof d.throughSeq === 'number' && typeof d.lastHash === 'string' ? { throughSeq: d.throughSeq, lastHash: d.lastHash } : null;
}

/**
 * Verifies the whole audit chain, reading it in batches. A chain whose first rows were removed by
 * retention verifies from the latest `retention.checkpoint`: the first row kept must be the one right
 * after the checkpoint's `throughSeq` and link to its `lastHash`. Anything else is a problem: a
 * modified row (hash_mismatch), a deleted row (gap, broken_link), or a missing prefix no checkpoint
 * accounts for.
 */
export async function verifyAuditTrail(db: Kysely<Database>, batchSize = 5_000): Promise<VerifyResult> {
  const problems: ChainProblem[] = [];
  const checkpointRow = await db.selectFrom('audit_log').select(['details']).where('action', '=', CHECKPOINT_ACTION).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const checkpoint = checkpointRow ? readCheckpoint(checkpointRow.details) : null;
  let count = 0;
  let firstSeq: number | null = null;
  let expectedPrev = GENESIS_HASH;
  let expectedSeq: number | null = null;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(batchSize).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      if (firstSeq === null) {
        firstSeq = seq;
        if (seq !== 1) {
          if (checkpoint && seq === checkpoint.throughSeq + 1 && r.prev_hash === checkpoint.lastHash) {
            expectedPrev = checkpoint.lastHash;
          } else {
            const from = checkpoint && checkpoint.throughSeq + 1 < seq ? checkpoint.throughSeq + 1 : 1;
            problems.push({ seq, problem: 'gap', message: `Rows ${from}–${seq - 1} are missing and no retention checkpoint accounts for them.` });
          }
          expectedSeq = seq;
        }
      }
      if (expectedSeq !== null && seq !== expectedSeq) problems.push({ seq, problem: 'gap', message: `Rows ${expectedSeq}–${seq - 1} are missing.` });
      if (r.prev_hash !== expectedPrev) problems.push({ seq, problem: 'broken_link', message: `Row ${seq} does not link to the row before it.` });
      const fields = {
        seq,
        org_id: r.org_id,
        at: new Date(r.at).toISOString(),
        actor_id: r.actor_id,
        actor_role: r.actor_role,
        action: r.action,
        subject_type: r.subject_type,
        subject_id: r.subject_id,
        ip: r.ip,
        outcome: r.outcome,
        details: r.details,
      };
      if (auditHash(r.prev_hash, fields) !== r.hash) problems.push({ seq, problem: 'hash_mismatch', message: `Row ${seq} was altered after it was written.` });
      expectedPrev = r.hash;
      expectedSeq = seq + 1;
      count++;
    }
    after = Number(rows[rows.length - 1].seq);
  }
  return { rows: count, firstSeq, checkpoint, problems };
}

export interface ClientRetentionResult {
  erased: number;
}

/**
 * Erases, per organisation with `clientRetentionYears` set, every client whose episodes all ended
 * before the cut-off (and clients without episodes created before it). Each erasure is its own
 * transaction with its own audit row (reason "retention").
 */
export async function applyClientRetention(db: Kysely<Database>, now = new Date()): Promise<ClientRetentionResult> {
  const orgs = await db.selectFrom('organisations').select(['id', 'settings']).execute();
  let erased = 0;
  for (const org of orgs) {
    const years = securitySettings(org.settings ?? {}).clientRetentionYears;
    if (years === null) continue;
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
    const cutoffDay = cutoff.toISOString().slice(0, 10);
    const due = await db
      .selectFrom('clients as c')
      .select('c.id')
      .where('c.org_id', '=', org.id)
      .where((eb) =>
        eb.or([
          eb.and([
            eb.exists(eb.selectFrom('episodes as e').select('e.id').whereRef('e.client_id', '=', 'c.id')),
            eb.not(eb.exists(eb.selectFrom('episodes as e').select('e.id').whereRef('e.client_id', '=', 'c.id').where((w) => w.or([w('e.ended_on', 'is', null), w('e.ended_on', '>=', sql<Date>`${cutoffDay}::date`)])))),
          ]),
          eb.and([eb.not(eb.exists(eb.selectFrom('episodes as e').select('e.id').whereRef('e.client_id', '=', 'c.id'))), eb('c.created_at', '<', cutoff)]),
        ]),
      )
      .execute();
    for (const client of due) {
      const counts = await db.transaction().execute((trx) =>
        eraseClient(trx, { orgId: org.id, clientId: client.id, therapistId: null }, { orgId: org.id, actorId: null, actorRole: 'system' }, 'retention'),
      );
      if (counts) erased++;
    }
  }
  return { erased };
}
