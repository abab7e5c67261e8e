import { sql, type Kysely } from 'kysely';
import { createChainVerifier, GENESIS_LINK, type ChainProblem } from '../domain/audit/chain.ts';
import { appendAudit, sealPendingAudit, storedAuditFields } from './audit.ts';
import { eraseClient } from './gdpr.ts';
import type { Database } from './schema.ts';
import { securitySettings } from './users.ts';

// Retention: deleting old audit rows without losing verifiability, and erasing client data whose
// episodes ended long ago. Both follow each organisation's settings (`auditRetentionDays`,
// `clientRetentionYears`) and do nothing when they are unset.
//
// The audit chain is one chain for the whole instance, ordered by chain_pos (seal order). Deleting
// rows from its middle would break every later link, so retention only ever deletes a *prefix*:
// positions 1..N, where every row is past the retention of its organisation. In the same transaction
// (holding the audit lock, after sealing every pending row) it appends a `retention.checkpoint` row
// recording N and the hash of the row at N, and seals it. Verification then starts at position N+1
// and expects its prev_hash to be that recorded hash; the checkpoint row itself is covered by the
// chain like any other row.

export const CHECKPOINT_ACTION = 'retention.checkpoint';
const DAY_MS = 86_400_000;

export interface Checkpoint {
  /** Chain position of the last row deleted (`throughSeq` in checkpoints written before sealing; then position = seq). */
  throughPos: number;
  lastHash: string;
}

export interface AuditRetentionResult {
  deleted: number;
  /** Chain position of the last row deleted; null when nothing was. */
  throughPos: number | null;
}

/** Deletes the oldest audit rows that every organisation's retention allows, leaving a checkpoint. */
export async function applyAuditRetention(db: Kysely<Database>, now = new Date()): Promise<AuditRetentionResult> {
  return db.transaction().execute(async (trx) => {
    await sealPendingAudit(trx); // takes the audit lock: no sealer extends the chain while it is cut
    const orgs = await trx.selectFrom('organisations').select(['id', 'settings']).execute();
    const days = new Map(orgs.map((o) => [o.id, securitySettings(o.settings ?? {}).auditRetentionDays]));
    const configured = [...days.values()].filter((d): d is number => d !== null);
    if (configured.length === 0) return { deleted: 0, throughPos: null };
    const bounds = await trx
      .selectFrom('audit_log')
      .select((eb) => [eb.fn.min('chain_pos').as('first'), eb.fn.max('chain_pos').as('last')])
      .executeTakeFirstOrThrow();
    if (bounds.first === null || bounds.last === null) return { deleted: 0, throughPos: null };

    // The first position someone still needs: per organisation, its first row inside its retention (all
    // of its rows when it keeps them forever); rows without an organisation follow the longest retention.
    // Rows still pending (committed after the seal above) have no position and are never deleted.
    let keepFrom = Number(bounds.last); // the newest row always stays, so the chain keeps a head
    const firstKept = async (orgId: string | null, retentionDays: number | null) => {
      let query = trx.selectFrom('audit_log').select((eb) => eb.fn.min('chain_pos').as('pos'));
      query = orgId === null ? query.where('org_id', 'is', null) : query.where('org_id', '=', orgId);
      if (retentionDays !== null) query = query.where('at', '>=', new Date(now.getTime() - retentionDays * DAY_MS));
      const row = await query.executeTakeFirst();
      return row?.pos === null || row?.pos === undefined ? null : Number(row.pos);
    };
    for (const [orgId, retention] of days) {
      const pos = await firstKept(orgId, retention);
      if (pos !== null) keepFrom = Math.min(keepFrom, pos);
    }
    const systemPos = await firstKept(null, Math.max(...configured));
    if (systemPos !== null) keepFrom = Math.min(keepFrom, systemPos);
    // Rows of organisations that no longer exist never block (there is no one to keep them for).

    const throughPos = keepFrom - 1;
    if (throughPos < Number(bounds.first)) return { deleted: 0, throughPos: null };
    const last = await trx
      .selectFrom('audit_log')
      .select(['chain_pos', 'hash'])
      .where('chain_pos', '<=', throughPos)
      .orderBy('chain_pos', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const deleted = Number(
      (await trx.deleteFrom('audit_log').where('chain_pos', '<=', throughPos).executeTakeFirst()).numDeletedRows,
    );
    await appendAudit(trx, {
      orgId: null,
      actorId: null,
      actorRole: 'system',
      action: CHECKPOINT_ACTION,
      outcome: 'ok',
      details: { throughPos: Number(last.chain_pos), lastHash: last.hash, deleted, at: now.toISOString() },
    });
    await sealPendingAudit(trx);
    return { deleted, throughPos: Number(last.chain_pos) };
  });
}

export interface VerifyResult {
  /** Sealed rows verified. */
  rows: number;
  /** Chain position of the first row kept (1 unless retention removed a prefix); null for an empty chain. */
  firstPos: number | null;
  checkpoint: Checkpoint | null;
  /** Rows appended but not sealed yet: not part of the chain, so not verified (and not problems). */
  pending: number;
  /** Verified rows whose details were erased (GDPR erasure); the chain commits to their hash. */
  erased: number;
  problems: ChainProblem[];
}

export function readCheckpoint(details: unknown): Checkpoint | null {
  const d = details as { throughPos?: unknown; throughSeq?: unknown; lastHash?: unknown } | null;
  const through = d?.throughPos ?? d?.throughSeq;
  return d && typeof through === 'number' && typeof d.lastHash === 'string'
    ? { throughPos: through, lastHash: d.lastHash }
    : null;
}

/**
 * Verifies the sealed audit chain, reading it in batches by chain_pos; it does not seal (call
 * `sealAuditTrail` first to cover every committed row). A chain whose first rows were removed by
 * retention verifies from the latest `retention.checkpoint`: the first row kept must be at the
 * position right after the checkpoint's `throughPos` and link to its `lastHash`. Anything else is a
 * problem: a modified row (hash_mismatch), a deleted row or one taken out of the chain (gap,
 * broken_link), or a missing prefix no checkpoint accounts for.
 */
export async function verifyAuditTrail(db: Kysely<Database>, batchSize = 5_000): Promise<VerifyResult> {
  const problems: ChainProblem[] = [];
  const checkpointRow = await db
    .selectFrom('audit_log')
    .select(['details'])
    .where('action', '=', CHECKPOINT_ACTION)
    .where('chain_pos', 'is not', null)
    .orderBy('chain_pos', 'desc')
    .limit(1)
    .executeTakeFirst();
  const checkpoint = checkpointRow ? readCheckpoint(checkpointRow.details) : null;
  const verifier = createChainVerifier(
    checkpoint ? { pos: checkpoint.throughPos, hash: checkpoint.lastHash } : GENESIS_LINK,
  );
  let firstPos: number | null = null;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('chain_pos', '>', after)
      .orderBy('chain_pos')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const pos = Number(r.chain_pos);
      firstPos ??= pos;
      problems.push(
        ...verifier.push({ ...storedAuditFields(r), chain_pos: pos, prev_hash: r.prev_hash, hash: r.hash }),
      );
    }
    after = Number(rows[rows.length - 1].chain_pos);
  }
  const pending = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('chain_pos', 'is', null)
    .executeTakeFirstOrThrow();
  return { rows: verifier.rows, firstPos, checkpoint, pending: Number(pending.n), erased: verifier.erased, problems };
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
            eb.not(
              eb.exists(
                eb
                  .selectFrom('episodes as e')
                  .select('e.id')
                  .whereRef('e.client_id', '=', 'c.id')
                  .where((w) =>
                    w.or([w('e.ended_on', 'is', null), w('e.ended_on', '>=', sql<Date>`${cutoffDay}::date`)]),
                  ),
              ),
            ),
          ]),
          eb.and([
            eb.not(eb.exists(eb.selectFrom('episodes as e').select('e.id').whereRef('e.client_id', '=', 'c.id'))),
            eb('c.created_at', '<', cutoff),
          ]),
        ]),
      )
      .execute();
    for (const client of due) {
      const counts = await db
        .transaction()
        .execute((trx) =>
          eraseClient(
            trx,
            { orgId: org.id, clientId: client.id, therapistId: null },
            { orgId: org.id, actorId: null, actorRole: 'system' },
            'retention',
          ),
        );
      if (counts) erased++;
    }
  }
  return { erased };
}
