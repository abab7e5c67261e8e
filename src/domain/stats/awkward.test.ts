/**
 * Awkward data (issue 18), against R: awkward_cases.json from make_awkward_refs.R. Each case is
 * recomputed from its inputs alone; every number R gives must match within 1e-9 relative, and every
 * part R cannot give must come back as `{ error: { code, message } }` with a reason, not as NaN and
 * not dropped.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeCases, stripOutputs } from './cases.ts';
import { fisherExact2x2 } from './contingency.ts';
import { isStatError } from './parts.ts';
import { compareDeep, REL_TOL } from './referenceCompare.ts';

const reference = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/stats/awkward_cases.json', import.meta.url), 'utf8'),
) as { cases: Record<string, unknown>[] };

/** Every `{ error }` object anywhere in a value must carry a code and a non-empty message. */
function errorParts(v: unknown, found: { code: string; message: string }[] = []): typeof found {
  if (isStatError(v)) found.push(v.error);
  else if (Array.isArray(v)) v.forEach((x) => errorParts(x, found));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => errorParts(x, found));
  return found;
}

describe('awkward data agrees with R, part by part', () => {
  const computed = computeCases(stripOutputs(reference));

  it.each(reference.cases.map((c, i) => [i + 1, String(c.note), c] as const))('case %i: %s', (i, _note, expected) => {
    const { note: _n, ...want } = expected;
    const actual = computed.cases[i - 1];
    expect(compareDeep(actual, want, REL_TOL, `case ${i}`).mismatches).toEqual([]);
    expect(JSON.stringify(actual)).not.toMatch(/NaN|Infinity|null,"message"/);
    for (const e of errorParts(actual)) expect(e.message.length).toBeGreaterThan(10);
  });

  it('counts the one bad case of the batch', () => {
    expect(computed.failed).toBe(reference.cases.filter((c) => 'error' in c).length);
    expect(computed.failed).toBe(1);
  });
});

describe("Fisher's exact test on large margins", () => {
  it('needs no recursion or spread arguments (margins of 300,000)', () => {
    const r = fisherExact2x2([
      [150_300, 149_700],
      [149_900, 150_100],
    ]);
    expect(r.p).toBeGreaterThan(0);
    expect(r.p).toBeLessThan(1);
    expect(r.ci[0]).toBeLessThan(r.oddsRatio);
    expect(r.ci[1]).toBeGreaterThan(r.oddsRatio);
  });
});
