import { describe, expect, it } from 'vitest';
import { adjustP, frequencies, postHocTest, twoGroupT } from './analyses.ts';
import { buildDataset } from './dataset.ts';
import { surveyFromText } from './survey.ts';
import { BRANCHING_SURVEY } from './fixtures.ts';
import { suppressSmallCells } from './suppress.ts';

describe('research analyses', () => {
  it('adjusts p-values as R p.adjust does (Holm, Benjamini–Hochberg)', () => {
    const p = [0.01, 0.02, 0.03, 0.04, 0.05];
    expect(adjustP(p, 'holm').map((v) => Number(v.toFixed(10)))).toEqual([0.05, 0.08, 0.09, 0.09, 0.09]);
    expect(adjustP(p, 'BH').map((v) => Number(v.toFixed(10)))).toEqual([0.05, 0.05, 0.05, 0.05, 0.05]);
    expect(adjustP([0.04, 0.001, 0.3], 'BH').map((v) => Number(v.toFixed(10)))).toEqual([0.06, 0.003, 0.3]);
  });

  it('counts valid N without the missing codes, and names every effect size formula', () => {
    const survey = surveyFromText(BRANCHING_SURVEY, { id: 's', title: 'S', version: 1, lang: 'nl' });
    const coding = (code: number) => ({ valueCoding: { code: String(code) } });
    const responses = [
      [1, true, 5],
      [1, false, 6],
      [2, true, 3],
      [2, true, 2],
      [1, true, 7],
      [2, false, 4],
    ].map(([g, cried, att1], i) => ({
      id: String(i),
      submittedOn: '2026-01-01',
      channel: 'x',
      consentVersion: 1,
      durationMs: 1000,
      response: {
        resourceType: 'QuestionnaireResponse' as const,
        status: 'completed',
        item: [
          { linkId: 'gender', answer: [coding(g as number)] },
          { linkId: 'cried', answer: [{ valueBoolean: cried as boolean }] },
          ...(cried ? [{ linkId: 'lump', answer: [{ valueInteger: i }] }] : []),
          { linkId: 'att1', answer: [coding(att1 as number)] },
        ],
      },
    }));
    const data = buildDataset(survey, responses);
    const lump = frequencies(data, 'lump');
    expect(lump.validN).toBe(4);
    expect(lump.missing).toEqual([{ code: '-1', n: 2 }]);
    const r = twoGroupT(data, 'att1', 'gender', 1, 2, 'welch');
    // R: t.test(c(5,6,7), c(3,2,4)) → t = 3.6742, df = 4
    expect((r.details as { t: number }).t).toBeCloseTo(3.674235, 5);
    expect(r.effects.map((e) => e.formula)).toEqual([
      expect.stringContaining('√(((n1−1)s1²'),
      expect.stringContaining('1 − 3/(4'),
      'd ≈ 2t/√df',
    ]);
    expect(r.apa.en).toContain('t(4) = 3.67');
  });

  it('suppresses small cells and one more against differencing', () => {
    const cell = (n: number, valid: number) => ({ n, valid, pct: null, suppressed: false });
    const cells = [cell(3, 40), cell(20, 60), cell(30, 80)];
    const total = cell(53, 180);
    suppressSmallCells(cells, total);
    expect(cells.map((c) => c.suppressed)).toEqual([true, true, false]);
    expect(total.suppressed).toBe(false);
  });
});

describe('post-hoc tests on a dataset', () => {
  const variable = (name: string, labels: [number, string][] = []) => ({
    name,
    label: name,
    type: 'numeric' as const,
    width: 0,
    decimals: 0,
    measure: 'nominal' as const,
    valueLabels: labels.map(([value, label]) => ({ value, label })),
    missing: [-9],
    derivation: null,
    quasiIdentifier: false,
  });
  const dataset = {
    variables: [
      variable('disc', [
        [1, 'GZ'],
        [2, 'Psychiater'],
        [3, 'Psychotherapeut'],
      ]),
      variable('y'),
    ],
    rows: [
      [3, 5],
      [1, 2],
      [2, 4],
      [1, 3],
      [3, 6],
      [2, 5],
      [1, -9],
      [3, 7],
      [2, 3],
      [1, 2],
    ],
  };
  it('orders groups by code, names them by label, leaves missing codes out and writes APA text', () => {
    const r = postHocTest(dataset, 'y', 'disc', 'tukey');
    expect(r.comparisons.map((c) => c.pair)).toEqual([
      'Psychiater-GZ',
      'Psychotherapeut-GZ',
      'Psychotherapeut-Psychiater',
    ]);
    expect(r.comparisons[0].diff).toBeCloseTo(4 - 7 / 3, 12);
    expect(r.apa.nl).toMatch(/^Tukey HSD \(95%-BI, gecorrigeerde p\): Psychiater − GZ: 1,67 \[/);
    expect(postHocTest(dataset, 'y', 'disc', 'games-howell').method).toBe('Games-Howell');
  });
});
