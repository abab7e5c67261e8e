import { describe, expect, it } from 'vitest';
import { auditHash, canonicalJson, GENESIS_HASH, verifyChain, type AuditFields } from './chain.ts';

function chain(n: number) {
  const rows: Array<AuditFields & { prev_hash: string; hash: string }> = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields: AuditFields = {
      seq, org_id: 'o', at: `2026-01-0${seq}T00:00:00.000Z`, actor_id: 'u', actor_role: 'therapist',
      action: 'episode.read', subject_type: 'episode', subject_id: `e${seq}`, ip: '127.0.0.1', outcome: 'allowed', details: { b: 1, a: [2] },
    };
    const hash = auditHash(prev, fields);
    rows.push({ ...fields, prev_hash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('audit chain', () => {
  it('sorts keys canonically', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: 'x' } })).toBe('{"a":{"c":"x","d":null},"b":1}');
  });
  it('accepts an intact chain', () => {
    expect(verifyChain(chain(5))).toEqual([]);
  });
  it('detects a modified row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], outcome: 'denied' };
    expect(verifyChain(rows)).toEqual([{ seq: 3, problem: 'hash_mismatch', message: 'Row 3 was altered after it was written.' }]);
  });
  it('detects a deleted row', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows).map((p) => p.problem)).toEqual(['gap', 'broken_link']);
  });
});
