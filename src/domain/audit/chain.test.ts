import { describe, expect, it } from 'vitest';
import {
  auditHash,
  canonicalJson,
  detailsHash,
  createChainVerifier,
  GENESIS_HASH,
  type AuditFields,
  type ChainLink,
  type SealedAuditRow,
} from './chain.ts';

/**
 * A chain of n rows sealed in seal order; `seqs` lets the seal order differ from seq order. With
 * `committed`, each hash covers the details' hash (rows sealed since migration 064).
 */
function chain(n: number, seqs = Array.from({ length: n }, (_, i) => i + 1), committed = false) {
  const rows: SealedAuditRow[] = [];
  let prev = GENESIS_HASH;
  seqs.forEach((seq, i) => {
    const fields: AuditFields = {
      seq,
      org_id: 'o',
      at: `2026-01-0${seq}T00:00:00.000Z`,
      actor_id: 'u',
      actor_role: 'therapist',
      action: 'episode.read',
      subject_type: 'episode',
      subject_id: `e${seq}`,
      ip: '127.0.0.1',
      outcome: 'allowed',
      details: { b: 1, a: [2] },
    };
    if (committed) fields.details_hash = detailsHash(fields.details);
    const hash = auditHash(prev, fields);
    rows.push({ ...fields, chain_pos: i + 1, prev_hash: prev, hash });
    prev = hash;
  });
  return rows;
}

function verify(rows: SealedAuditRow[], start?: ChainLink) {
  const verifier = createChainVerifier(start);
  return rows.flatMap((row) => verifier.push(row));
}

describe('audit chain', () => {
  it('sorts keys canonically', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: 'x' } })).toBe('{"a":{"c":"x","d":null},"b":1}');
  });
  it('accepts an intact chain, also when seal order differs from seq order', () => {
    expect(verify(chain(5))).toEqual([]);
    expect(verify(chain(4, [2, 1, 4, 3]))).toEqual([]);
  });
  it('counts the rows it was given', () => {
    const verifier = createChainVerifier();
    for (const row of chain(3)) verifier.push(row);
    expect(verifier.rows).toBe(3);
  });
  it('detects a modified row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], outcome: 'denied' };
    expect(verify(rows)).toEqual([
      { seq: 3, problem: 'hash_mismatch', message: 'Row 3 was altered after it was written.' },
    ]);
  });
  it('does not let the chain position into the hash: a moved row shows as a gap, not as altered', () => {
    const rows = chain(3);
    rows[2] = { ...rows[2], chain_pos: 4 };
    expect(verify(rows)).toEqual([
      { seq: 3, problem: 'gap', message: 'Chain positions 3–3 before row 3 are missing.' },
    ]);
  });
  it('detects a deleted row', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verify(rows)).toEqual([
      { seq: 3, problem: 'gap', message: 'Chain positions 2–2 before row 3 are missing.' },
      { seq: 3, problem: 'broken_link', message: 'Row 3 does not link to the row before it.' },
    ]);
  });
  it('detects a row whose chain fields were nulled but whose position was kept', () => {
    const rows = chain(3);
    rows[1] = { ...rows[1], prev_hash: null, hash: null };
    expect(verify(rows).map((p) => [p.seq, p.problem])).toEqual([
      [2, 'broken_link'],
      [2, 'hash_mismatch'],
      [3, 'broken_link'],
    ]);
  });
  it('continues from a checkpoint, and reports a missing prefix no checkpoint accounts for', () => {
    const rows = chain(5);
    const rest = rows.slice(2);
    expect(verify(rest, { pos: 2, hash: rows[1].hash! })).toEqual([]);
    expect(verify(rest, { pos: 2, hash: GENESIS_HASH })).toEqual([
      { seq: 3, problem: 'broken_link', message: 'Row 3 does not link to the row before it.' },
    ]);
    expect(verify(rest)).toEqual([
      {
        seq: 3,
        problem: 'gap',
        message: 'Chain positions 1–2 before row 3 are missing and no retention checkpoint accounts for them.',
      },
      { seq: 3, problem: 'broken_link', message: 'Row 3 does not link to the row before it.' },
    ]);
    // A checkpoint that claims rows which are still there does not fit: verify from the genesis.
    expect(verify(rows, { pos: 2, hash: rows[1].hash! })).toEqual([]);
  });
  it('rows that commit to a hash of their details verify with the details erased, not with them changed', () => {
    const rows = chain(4, undefined, true);
    expect(verify(rows)).toEqual([]);
    rows[1] = { ...rows[1], details: null };
    expect(verify(rows)).toEqual([]);
    const verifier = createChainVerifier();
    rows.forEach((row) => verifier.push(row));
    expect([verifier.rows, verifier.erased]).toEqual([4, 1]); // counted for `spiegel audit verify`
    rows[2] = { ...rows[2], details: { b: 2, a: [2] } };
    expect(verify(rows)).toEqual([{ seq: 3, problem: 'hash_mismatch', message: 'The details of row 3 were altered.' }]);
    rows[2] = { ...rows[2], details: null, details_hash: detailsHash({ b: 2 }) };
    expect(verify(rows)).toEqual([
      { seq: 3, problem: 'hash_mismatch', message: 'Row 3 was altered after it was written.' },
    ]);
  });
  it('rows sealed before details hashing cannot lose their details, nor gain a details hash, unnoticed', () => {
    const erased = chain(3);
    erased[1] = { ...erased[1], details: null };
    expect(verify(erased).map((p) => [p.seq, p.problem])).toEqual([[2, 'hash_mismatch']]);
    const rehashed = chain(3);
    rehashed[1] = { ...rehashed[1], details_hash: detailsHash(rehashed[1].details) };
    expect(verify(rehashed).map((p) => [p.seq, p.problem])).toEqual([[2, 'hash_mismatch']]);
  });
});
