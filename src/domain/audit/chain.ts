import { createHash } from 'node:crypto';

/** The fields of an audit entry that its hash covers. */
export interface AuditFields {
  seq: number;
  org_id: string | null;
  at: string; // ISO-8601, UTC
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  ip: string | null;
  outcome: string;
  details: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Stable JSON: object keys sorted, so the same entry always hashes the same on any database. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash_n = SHA-256(hash_{n-1} ‖ canonical entry). Changing or deleting any row breaks every later link. */
export function auditHash(prevHash: string, fields: AuditFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

export interface ChainProblem {
  seq: number;
  problem: 'hash_mismatch' | 'broken_link' | 'gap';
  message: string;
}

/**
 * Verifies a chain given in seq order. A modified row fails its own hash; a deleted row leaves a gap
 * in seq and a broken link in prev_hash.
 */
export function verifyChain(rows: Array<AuditFields & { prev_hash: string; hash: string }>): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let expectedPrev = GENESIS_HASH;
  let expectedSeq: number | null = null;
  for (const row of rows) {
    if (expectedSeq !== null && row.seq !== expectedSeq) {
      problems.push({ seq: row.seq, problem: 'gap', message: `Rows ${expectedSeq}–${row.seq - 1} are missing.` });
    }
    if (row.prev_hash !== expectedPrev) {
      problems.push({ seq: row.seq, problem: 'broken_link', message: `Row ${row.seq} does not link to the row before it.` });
    }
    const { prev_hash, hash, ...fields } = row;
    if (auditHash(prev_hash, fields) !== hash) {
      problems.push({ seq: row.seq, problem: 'hash_mismatch', message: `Row ${row.seq} was altered after it was written.` });
    }
    expectedPrev = hash;
    expectedSeq = row.seq + 1;
  }
  return problems;
}
