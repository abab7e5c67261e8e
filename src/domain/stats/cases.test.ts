import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeCase, computeCases, stripOutputs, CASE_INPUTS } from './cases.ts';
import { compareDeep, REL_TOL } from './referenceCompare.ts';

// cases.json: 38 cases made by R 4.2.2 (make_stats_refs.R, seed 2026); outputs under R's field names.
const reference = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/stats/cases.json', import.meta.url), 'utf8'),
) as {
  cases: Record<string, unknown>[];
};

describe('every case of cases.json agrees with R', () => {
  it('has the 38 cases of every kind', () => {
    expect(reference.cases).toHaveLength(38);
    for (const c of reference.cases) expect(Object.keys(CASE_INPUTS)).toContain(c.kind);
  });

  const computed = computeCases(stripOutputs(reference));
  let worst = 0;
  let worstAt = '';

  it.each(reference.cases.map((c, i) => [i + 1, c.kind as string, c] as const))(
    'case %i (%s) within 1e-9 relative',
    (i, _kind, expected) => {
      const actual = computed.cases[i - 1];
      const { worst: w, worstPath, mismatches } = compareDeep(actual, expected, REL_TOL, `case ${i}`);
      if (w > worst) {
        worst = w;
        worstAt = worstPath;
      }
      expect(mismatches).toEqual([]);
      // Same field names, nothing extra.
      expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    },
  );

  it('reports the worst relative error', () => {
    console.info(`cases.json: worst relative error vs R ${worst.toExponential(2)} at ${worstAt}`);
    expect(worst).toBeLessThan(REL_TOL);
  });
});

describe('computeCase', () => {
  it('ignores output fields given as input', () => {
    const c = { ...reference.cases[0], student: { t: 999 }, cohen_d_pooled: 42 };
    const out = computeCase(c);
    expect((out.student as { t: number }).t).not.toBe(999);
    expect(out.cohen_d_pooled).not.toBe(42);
  });

  it('names the case and the field in errors, and keeps the batch going', () => {
    const out = computeCases({
      cases: [reference.cases[0], { kind: 't_one_sample_raw', x: [1, 2, Infinity], mu: 0 }, { kind: 'nope' }],
    });
    expect(out.failed).toBe(2);
    expect(out.cases[1]).toMatchObject({
      kind: 't_one_sample_raw',
      error: { code: 'STATS_INPUT_INVALID', message: 'case 2 (t_one_sample_raw): x[2] must be a finite number.' },
    });
    expect((out.cases[2].error as { message: string }).message).toMatch(/Unknown case kind 'nope'/);
    const missing = computeCases({ cases: [{ kind: 'reliable_change', sd: 5, reliability: 0.9, pre: 3 }] });
    expect((missing.cases[0].error as { message: string }).message).toMatch(/needs the field 'post'/);
    expect(() => computeCases({ items: [] })).toThrow(/"cases" array/);
  });
});
