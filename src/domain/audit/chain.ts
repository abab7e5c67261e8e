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
  /** NULL when erased (GDPR): allowed only on rows whose hash commits to `details_hash`. */
  details: unknown;
  /**
   * SHA-256 of the canonical details, set by the sealer since migration 064. When set, the row's hash
   * covers this instead of the details, so the details can be erased while the chain still verifies.
   * Rows sealed before 022 have none: their hash covers the details themselves.
   */
  details_hash?: string | null;
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

/** The commitment to a row's details: SHA-256 of their canonical JSON. */
export function detailsHash(details: unknown): string {
  return createHash('sha256').update(canonicalJson(details)).digest('hex');
}

/**
 * hash_n = SHA-256(hash_{n-1} ‖ canonical entry). Changing or deleting any row breaks every later link.
 * With `details_hash` (rows sealed since migration 064) the entry holds the details' hash in place of
 * the details; without it (older rows) the details themselves.
 */
export function auditHash(prevHash: string, fields: AuditFields): string {
  const { details_hash, details, ...rest } = fields;
  const entry = details_hash == null ? { ...rest, details } : { ...rest, details_hash };
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(entry)).digest('hex');
}

export interface ChainProblem {
  seq: number;
  problem: 'hash_mismatch' | 'broken_link' | 'gap';
  message: string;
}

/** A sealed row as verification reads it back: the hashed fields plus its place in the chain. */
export interface SealedAuditRow extends AuditFields {
  chain_pos: number;
  prev_hash: string | null;
  hash: string | null;
}

/** The link a chain continues from: the genesis (position 0), or the last row a retention checkpoint removed. */
export interface ChainLink {
  pos: number;
  hash: string;
}

export const GENESIS_LINK: ChainLink = { pos: 0, hash: GENESIS_HASH };

/** Exactly the hashed fields of a row (whatever else the row carries). */
export function auditFields(row: AuditFields): AuditFields {
  const { seq, org_id, at, actor_id, actor_role, action, subject_type, subject_id, ip, outcome, details } = row;
  const fields: AuditFields = {
    seq,
    org_id,
    at,
    actor_id,
    actor_role,
    action,
    subject_type,
    subject_id,
    ip,
    outcome,
    details,
  };
  if (row.details_hash != null) fields.details_hash = row.details_hash;
  return fields;
}

export interface ChainVerifier {
  /** Checks the next row in chain_pos order; returns the problems it shows (none when intact). */
  push(row: SealedAuditRow): ChainProblem[];
  /** Rows pushed so far. */
  readonly rows: number;
  /** Rows pushed whose details were erased (GDPR) and whose hash commits to them, so they still verify. */
  readonly erased: number;
}

/**
 * Verifies a chain incrementally, row by row in chain_pos order, so a caller can read it in batches.
 * A modified row fails its own hash; a deleted row (or one taken out of the chain) leaves a gap in
 * chain_pos and a broken link in prev_hash. `start` is the link before the first row: the genesis, or
 * a retention checkpoint. A first row that sits at or before `start` means the checkpoint does not
 * describe this chain, and the chain is checked from the genesis instead.
 */
export function createChainVerifier(start: ChainLink = GENESIS_LINK): ChainVerifier {
  let expected: { pos: number; hash: string | null } = start;
  let rows = 0;
  let erased = 0;
  return {
    get rows() {
      return rows;
    },
    get erased() {
      return erased;
    },
    push(row) {
      const problems: ChainProblem[] = [];
      const { seq, chain_pos: pos } = row;
      if (rows === 0) {
        if (pos <= expected.pos) expected = GENESIS_LINK;
        if (pos !== expected.pos + 1) {
          problems.push({
            seq,
            problem: 'gap',
            message: `Chain positions ${expected.pos + 1}–${pos - 1} before row ${seq} are missing and no retention checkpoint accounts for them.`,
          });
        }
      } else if (pos !== expected.pos + 1) {
        problems.push({
          seq,
          problem: 'gap',
          message: `Chain positions ${expected.pos + 1}–${pos - 1} before row ${seq} are missing.`,
        });
      }
      if (row.prev_hash !== expected.hash)
        problems.push({ seq, problem: 'broken_link', message: `Row ${seq} does not link to the row before it.` });
      if (row.prev_hash === null || auditHash(row.prev_hash, auditFields(row)) !== row.hash) {
        problems.push({ seq, problem: 'hash_mismatch', message: `Row ${seq} was altered after it was written.` });
      } else if (row.details_hash != null && row.details !== null && detailsHash(row.details) !== row.details_hash) {
        // Erased details (NULL) are allowed; changed ones are not.
        problems.push({ seq, problem: 'hash_mismatch', message: `The details of row ${seq} were altered.` });
      }
      if (row.details === null && row.details_hash != null && problems.length === 0) erased++;
      expected = { pos, hash: row.hash };
      rows++;
      return problems;
    },
  };
}
