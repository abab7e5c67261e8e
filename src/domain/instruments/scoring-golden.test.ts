// Golden cases, each worked out by hand from the instrument's published rules (sources in the JSON files
// and docs/instruments.md). Missing items follow the project default: prorate when ≤ 20% are missing.
import { describe, expect, it } from 'vitest';
import { compileScorer, type ScoreResult } from './index.ts';
import { numbered, respond, shipped, type Given } from '../../../test/fixtures/instruments/load.ts';

function scoreOf(id: string, answers: Record<string, Given>): ScoreResult {
  const q = shipped(id);
  return compileScorer(q).score(respond(q, answers));
}

function scale(result: ScoreResult, id = result.scales[0].id) {
  const s = result.scales.find((x) => x.id === id);
  if (!s) throw new Error(`no scale ${id}`);
  return s;
}

describe('PHQ-9 (Kroenke 2001; item 9 risk)', () => {
  const cases: [string, Given[], number | null, string | null, boolean][] = [
    // name, items 1–9 (null = missing), total, band, risk flag
    ['all zero', [0, 0, 0, 0, 0, 0, 0, 0, 0], 0, 'minimal', false],
    ['mixed', [1, 2, 3, 0, 1, 2, 3, 0, 0], 12, 'moderate', false],
    ['maximum', [3, 3, 3, 3, 3, 3, 3, 3, 3], 27, 'severe', true],
    ['only item 9 endorsed: risk whatever the total', [0, 0, 0, 0, 0, 0, 0, 0, 1], 1, 'minimal', true],
    ['band edge 4', [1, 1, 1, 1, 0, 0, 0, 0, 0], 4, 'minimal', false],
    ['band edge 5', [1, 1, 1, 1, 1, 0, 0, 0, 0], 5, 'mild', false],
    ['band edge 9', [1, 1, 1, 1, 1, 1, 1, 1, 1], 9, 'mild', true],
    ['band edge 10', [2, 1, 1, 1, 1, 1, 1, 1, 1], 10, 'moderate', true],
    ['band edge 14', [2, 2, 2, 2, 2, 1, 1, 1, 1], 14, 'moderate', true],
    ['band edge 15', [2, 2, 2, 2, 2, 2, 1, 1, 1], 15, 'moderately-severe', true],
    ['band edge 19', [3, 3, 3, 2, 2, 2, 2, 1, 1], 19, 'moderately-severe', true],
    ['band edge 20', [3, 3, 3, 3, 2, 2, 2, 1, 1], 20, 'severe', true],
    // 8 answered, sum 16 → 16 × 9/8 = 18
    ['one missing: prorated', [2, 2, 2, 2, null, 2, 2, 2, 2], 18, 'moderately-severe', true],
    // 8 answered, sum 4 → 4.5 → half up → 5
    ['prorated half rounds up', [1, 1, 1, 1, 0, 0, 0, 0, null], 5, 'mild', false],
    // two of nine missing (> 20%) → no score, but item 9 still raises the risk flag
    ['two missing: no score, risk still raised', [3, 3, null, null, 3, 3, 3, 3, 2], null, null, true],
  ];
  for (const [name, items, total, band, risk] of cases) {
    it(name, () => {
      const result = scoreOf('phq9', numbered('phq9', items));
      const s = scale(result, 'total');
      expect(s.value).toBe(total);
      expect(s.band?.code ?? null).toBe(band);
      expect(result.risks.map((r) => r.code)).toEqual(risk ? ['self-harm-thoughts'] : []);
    });
  }

  it('reports status, proration, clinical range and reliable-change parameters', () => {
    const s = scale(scoreOf('phq9', numbered('phq9', [2, 2, 2, 2, null, 2, 2, 2, 2])));
    expect(s).toMatchObject({ status: 'scored', answered: 8, missing: 1, maxMissing: 1, prorated: true, clinicalRange: true, code: { code: '44261-6' } });
    expect(s.reliableChange).toMatchObject({ sDiff: null, publishedReliableChange: { value: 6 }, cutoff: { value: 10, method: 'published' }, reliability: { value: 0.89 } });
    const none = scale(scoreOf('phq9', {}));
    expect(none).toMatchObject({ value: null, status: 'no-answers', band: null, clinicalRange: null });
    const two = scale(scoreOf('phq9', numbered('phq9', [1, 1, 1, 1, 1, 1, 1, null, null])));
    expect(two).toMatchObject({ value: null, status: 'too-many-missing', missing: 2 });
  });

  it('lists an unanswered risk item', () => {
    const result = scoreOf('phq9', numbered('phq9', [1, 1, 1, 1, 1, 1, 1, 1, null]));
    expect(scale(result).value).toBe(9); // 8 × 9/8
    expect(result.unansweredRiskItems).toEqual(['phq9-9']);
    expect(result.risks).toEqual([]);
  });
});

describe('GAD-7 (Spitzer 2006)', () => {
  const cases: [Given[], number | null, string | null][] = [
    [[3, 3, 3, 3, 3, 3, 3], 21, 'severe'],
    [[1, 1, 1, 1, 1, 0, 0], 5, 'mild'],
    [[0, 0, 0, 0, 1, 1, 2], 4, 'minimal'],
    [[2, 2, 2, 2, 1, 1, 0], 10, 'moderate'],
    [[2, 2, 2, 2, 2, 2, 2], 14, 'moderate'],
    [[3, 3, 3, 2, 2, 1, 1], 15, 'severe'],
    [[2, 2, 2, 2, 2, 2, null], 14, 'moderate'], // 12 × 7/6 = 14
    [[2, 2, 2, 2, 2, null, null], null, null], // 2 of 7 missing > 20%
  ];
  for (const [items, total, band] of cases) {
    it(`${JSON.stringify(items)} → ${total}`, () => {
      const s = scale(scoreOf('gad7', numbered('gad7', items)));
      expect(s.value).toBe(total);
      expect(s.band?.code ?? null).toBe(band);
    });
  }
});

describe('GAD-7 norm groups (Löwe et al. 2008, German general population)', () => {
  it('gives z against the women and men norms, each with its citation; no SD for reliable change is declared', () => {
    const s = scale(scoreOf('gad7', numbered('gad7', [2, 2, 2, 2, 1, 1, 0])));
    const z = Object.fromEntries(s.norms.map((n) => [n.group, n.z]));
    expect(z['population-de-women']).toBeCloseTo((10 - 3.2) / 3.5, 12);
    expect(z['population-de-men']).toBeCloseTo((10 - 2.7) / 3.2, 12);
    expect(s.norms.every((n) => n.n === null)).toBe(true);
    expect(s.reliableChange.sd?.basis ?? null).not.toBe('declared');
  });
});

describe('PHQ-4 with GAD-2 and PHQ-2 subscales (Kroenke 2009)', () => {
  it('flags both subscales at 3', () => {
    const result = scoreOf('phq4', numbered('phq4', [1, 2, 3, 0]));
    expect(scale(result, 'total')).toMatchObject({ value: 6, band: { code: 'moderate' } });
    expect(scale(result, 'anxiety')).toMatchObject({ value: 3, subscaleOf: 'total', flags: [{ code: 'anxiety-screen-positive' }] });
    expect(scale(result, 'depression')).toMatchObject({ value: 3, flags: [{ code: 'depression-screen-positive' }], code: { code: '55758-7' } });
  });
  it('bands 0–2 normal, 3–5 mild, 9–12 severe', () => {
    expect(scale(scoreOf('phq4', numbered('phq4', [0, 0, 1, 1])), 'total')).toMatchObject({ value: 2, band: { code: 'normal' } });
    expect(scale(scoreOf('phq4', numbered('phq4', [1, 1, 1, 0])), 'total')).toMatchObject({ value: 3, band: { code: 'mild' } });
    expect(scale(scoreOf('phq4', numbered('phq4', [3, 3, 3, 0])), 'total')).toMatchObject({ value: 9, band: { code: 'severe' } });
    const low = scoreOf('phq4', numbered('phq4', [0, 0, 1, 1]));
    expect(scale(low, 'depression').flags).toEqual([]);
  });
  it('a missing item voids the total and its own subscale only', () => {
    const result = scoreOf('phq4', numbered('phq4', [null, 2, 1, 1]));
    expect(scale(result, 'total').value).toBeNull();
    expect(scale(result, 'anxiety').value).toBeNull();
    expect(scale(result, 'depression').value).toBe(2);
  });
});

describe('K10 (ABS scoring 1–5)', () => {
  const cases: [Given[], number | null, string | null][] = [
    [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 10, 'low'],
    [[5, 5, 5, 5, 5, 5, 5, 5, 5, 5], 50, 'very-high'],
    [[1, 2, 3, 4, 5, 1, 2, 3, 4, 5], 30, 'very-high'],
    [[2, 2, 2, 2, 2, 2, 2, 2, 1, 1], 18, 'moderate'],
    [[2, 2, 2, 2, 2, 1, 1, 1, 1, 1], 15, 'low'],
    [[2, 2, 2, 2, 2, 2, 1, 1, 1, 1], 16, 'moderate'],
    [[3, 3, 2, 2, 2, 2, 2, 2, 2, 1], 21, 'moderate'],
    [[3, 3, 3, 2, 2, 2, 2, 2, 2, 1], 22, 'high'],
    [[3, 3, 3, 3, 3, 3, 3, 3, 3, 2], 29, 'high'],
    [[2, 2, 2, 2, 2, 2, 2, 2, null, null], 20, 'moderate'], // 16 × 10/8
    [[2, 2, 2, 2, 2, 2, 2, null, null, null], null, null],
  ];
  for (const [items, total, band] of cases) {
    it(`${JSON.stringify(items)} → ${total}`, () => {
      const s = scale(scoreOf('k10', numbered('k10', items)));
      expect(s.value).toBe(total);
      expect(s.band?.code ?? null).toBe(band);
    });
  }
});

describe('Brief Resilience Scale (mean, items 2, 4, 6 reversed)', () => {
  const cases: [Given[], number | null, string | null][] = [
    [[5, 1, 5, 1, 5, 1], 5, 'high'],
    [[1, 5, 1, 5, 1, 5], 1, 'low'],
    [[4, 2, 4, 2, 4, 2], 4, 'normal'],
    [[5, 2, 4, 1, 4, 2], 4.33, 'high'], // 5,4,4,5,4,4 → 26/6
    [[3, 3, 3, 3, 3, 3], 3, 'normal'],
    [[3, 4, 3, 3, 2, 4], 2.5, 'low'], // 3,2,3,3,2,2 → 15/6
    [[4, 2, 4, 2, 5, 1], 4.33, 'high'], // 4,4,4,4,5,5 → 26/6
    [[4, 3, 4, 2, 4, 2], 3.83, 'normal'], // 4,3,4,4,4,4 → 23/6
    [[5, 1, 5, 1, 5, null], 5, 'high'],
    [[5, 1, 5, 1, null, null], null, null],
  ];
  for (const [items, mean, band] of cases) {
    it(`${JSON.stringify(items)} → ${mean}`, () => {
      const s = scale(scoreOf('brs', numbered('brs', items)));
      expect(s.value).toBe(mean);
      expect(s.band?.code ?? null).toBe(band);
      expect(s.direction).toBe('higher-is-better');
    });
  }
});

describe('WHO-5 (raw × 4; optional instrument)', () => {
  const cases: [Given[], number | null, string | null, boolean | null][] = [
    [[5, 5, 5, 5, 5], 100, 'adequate', false],
    [[0, 0, 0, 0, 0], 0, 'possible-depression', true],
    [[3, 3, 3, 3, 3], 60, 'adequate', false],
    [[2, 2, 2, 3, 3], 48, 'poor-wellbeing', true],
    [[1, 1, 2, 1, 2], 28, 'possible-depression', true],
    [[3, 3, 3, 3, null], 60, 'adequate', false], // 12 × 5/4 × 4
  ];
  for (const [items, value, band, clinical] of cases) {
    it(`${JSON.stringify(items)} → ${value}`, () => {
      const s = scale(scoreOf('who5', numbered('who5', items)));
      expect(s.value).toBe(value);
      expect(s.band?.code ?? null).toBe(band);
      expect(s.clinicalRange).toBe(clinical);
    });
  }
});

describe('CORE-10 (items 2 and 3 reversed; item 6 risk; optional instrument)', () => {
  it('reverses items 2 and 3', () => {
    expect(scale(scoreOf('core10', numbered('core10', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).value).toBe(8);
    expect(scale(scoreOf('core10', numbered('core10', [0, 4, 4, 0, 0, 0, 0, 0, 0, 0])))).toMatchObject({ value: 0, band: { code: 'healthy' } });
  });
  it('scores, bands and raises the item 6 risk flag', () => {
    const result = scoreOf('core10', numbered('core10', [1, 3, 3, 1, 0, 1, 1, 1, 1, 1]));
    // 1 + (4−3) + (4−3) + 1 + 0 + 1 + 1 + 1 + 1 + 1 = 9
    expect(scale(result)).toMatchObject({ value: 9, band: { code: 'low' }, clinicalRange: false });
    expect(result.risks.map((r) => [r.code, r.item, r.answerScore])).toEqual([['plans-to-end-life', 'core10-6', 1]]);
    const severe = scale(scoreOf('core10', numbered('core10', [4, 0, 0, 4, 4, 0, 4, 4, 4, 4])));
    expect(severe).toMatchObject({ value: 36, band: { code: 'severe' }, clinicalRange: true });
    // 2 + (4−2) + (4−2) + 2 + 1 + 0 + 1 + 1 + 0 + 0 = 11: the cut-off, first value of 'mild'
    expect(scale(scoreOf('core10', numbered('core10', [2, 2, 2, 2, 1, 0, 1, 1, 0, 0])))).toMatchObject({ value: 11, band: { code: 'mild' }, clinicalRange: true });
  });
});

describe('Spiegel alliance check (project-authored)', () => {
  const cases: [Given[], number | null, string[]][] = [
    [[8, 9, 7, 10], 8.5, []],
    [[6, 7, 6, 8], 6.8, ['alliance-low']],
    [[7, 7, 7, 7], 7, []],
    [[0, 0, 0, 0], 0, ['alliance-low']],
    [[9, 9, null, 9], null, []],
  ];
  for (const [values, mean, flags] of cases) {
    it(`${JSON.stringify(values)} → ${mean}`, () => {
      const answers = Object.fromEntries(['bond', 'goals', 'approach', 'overall'].map((k, i) => [`alliance-${k}`, values[i]]));
      const s = scale(scoreOf('spiegel-alliance', answers));
      expect(s.value).toBe(mean);
      expect(s.flags.map((f) => f.code)).toEqual(flags);
    });
  }
});

describe('Tears in therapy (seed 000 items and norms)', () => {
  it('compares crying proneness with the published Dutch norms', () => {
    const s = scale(scoreOf('spiegel-tears', { 'crying-proneness': 6 }), 'crying-proneness');
    expect(s.value).toBe(6);
    const z = Object.fromEntries(s.norms.map((n) => [n.group, n.z]));
    expect(z.population).toBeCloseTo((6 - 2.55) / 1.86, 12);
    expect(z.therapists).toBeCloseTo((6 - 5.3) / 2.18, 12);
    expect(s.norms.find((n) => n.group === 'population-men')).toMatchObject({ mean: 1.9, sd: 1.36, n: 1126 });
  });
  it('scores the attitude to client crying with items 5–9 reversed', () => {
    const answers = numbered('attitude', [7, 6, 6, 4, 1, 1, 1, 1, 2]);
    const s = scale(scoreOf('spiegel-tears', answers), 'attitude-client-crying');
    // 7+6+6+4 + (8−1)×4 + (8−2) = 57 → 57/9 = 6.333…
    expect(s.value).toBe(6.33);
    expect(s.norms.find((n) => n.group === 'therapists')?.z).toBeCloseTo((6.33 - 5.92) / 0.61, 12);
    expect(s.reliableChange.sDiff).toBeCloseTo(0.61 * Math.SQRT2 * Math.sqrt(1 - 0.77), 12);
    expect(s.reliableChange.minimumReliableChange).toBeCloseTo(1.96 * 0.61 * Math.SQRT2 * Math.sqrt(0.23), 12);
  });
});
