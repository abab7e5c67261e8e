import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileScorer, reliableChangeParameters, scoreResponse, validateQuestionnaire, type Questionnaire, type ScaleSpec } from './index.ts';
import { optionScore } from './extensions.ts';
import { respond, shipped, shippedIds, type Given } from '../../../test/fixtures/instruments/load.ts';
import { baseQuestionnaire } from '../../../test/fixtures/instruments/base-questionnaire.ts';

/** Possible scores of each scored item, read straight from the questionnaire. */
function scoreChoices(q: Questionnaire): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const visit = (items: Questionnaire['item']): void => {
    for (const item of items ?? []) {
      if (item.type === 'choice') out.set(item.linkId, (item.answerOption ?? []).map(optionScore).filter((s): s is number => s !== undefined));
      if (item.type === 'integer') {
        const ext = item.extension ?? [];
        const min = ext.find((e) => e.url.endsWith('/minValue'))?.valueInteger ?? 0;
        const max = ext.find((e) => e.url.endsWith('/maxValue'))?.valueInteger ?? 10;
        out.set(item.linkId, Array.from({ length: max - min + 1 }, (_, i) => min + i));
      }
      visit(item.item);
    }
  };
  visit(q.item);
  return out;
}

/** A deliberately plain re-statement of the scoring rules, to check the compiled engine against. */
function oracle(scale: ScaleSpec, answers: Record<string, Given>): number | null {
  const values = scale.items.map((id) => {
    const v = answers[id];
    if (typeof v !== 'number') return null;
    return scale.reverse.includes(id) ? scale.itemMin! + scale.itemMax! - v : v;
  });
  const given = values.filter((v): v is number => v !== null);
  const missing = scale.items.length - given.length;
  if (given.length === 0 || missing > Math.floor(scale.maxMissingFraction * scale.items.length + 1e-9)) return null;
  const sum = given.reduce((a, b) => a + b, 0);
  let value = scale.method === 'mean' ? sum / given.length : scale.method === 'prorated-sum' ? (sum / given.length) * scale.items.length : sum;
  value *= scale.multiplier;
  if (scale.decimals !== null) value = Math.round(Number((value * 10 ** scale.decimals).toPrecision(12))) / 10 ** scale.decimals;
  return value;
}

describe('every shipped instrument agrees with a plain oracle (property)', () => {
  for (const id of shippedIds()) {
    it(id, () => {
      const q = shipped(id);
      const spec = validateQuestionnaire(q).scoring!;
      const choices = scoreChoices(q);
      const scored = [...new Set(spec.scales.flatMap((s) => s.items))];
      const arb = fc.tuple(...scored.map((linkId) => fc.option(fc.constantFrom(...choices.get(linkId)!), { nil: null, freq: 5 })));
      const scorer = compileScorer(q);
      fc.assert(fc.property(arb, (picked) => {
        const answers = Object.fromEntries(scored.map((linkId, i) => [linkId, picked[i]]));
        const result = scorer.score(respond(q, answers));
        spec.scales.forEach((scale, i) => {
          const s = result.scales[i];
          const expected = oracle(scale, answers);
          expect(s.value).toBe(expected);
          if (s.value === null) return expect(s.band).toBeNull();
          const bands = scale.bands;
          const hit = bands.filter((b) => s.value! >= b.from).pop();
          expect(s.band?.code ?? null).toBe(hit?.code ?? null);
        });
      }), { numRuns: 300 });
    });
  }
});

describe('engine properties', () => {
  const phq9 = shipped('phq9');
  const scorer = compileScorer(phq9);
  const items = Array.from({ length: 9 }, (_, i) => `phq9-${i + 1}`);
  const complete = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 9, maxLength: 9 });
  const toAnswers = (v: number[]) => Object.fromEntries(items.map((id, i) => [id, v[i]]));

  it('PHQ-9 raises the risk flag exactly when item 9 is above 0, whatever the rest', () => {
    fc.assert(fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), { minLength: 9, maxLength: 9 }), (v) => {
      const result = scorer.score(respond(phq9, Object.fromEntries(items.map((id, i) => [id, v[i]]))));
      expect(result.risks.length > 0).toBe(v[8] !== null && v[8] > 0);
      expect(result.unansweredRiskItems).toEqual(v[8] === null ? ['phq9-9'] : []);
    }));
  });

  it('a higher answer never lowers the PHQ-9 total', () => {
    fc.assert(fc.property(complete, fc.nat(8), (v, at) => {
      fc.pre(v[at] < 3);
      const higher = [...v];
      higher[at]++;
      const a = scorer.score(respond(phq9, toAnswers(v))).scales[0].value!;
      const b = scorer.score(respond(phq9, toAnswers(higher))).scales[0].value!;
      expect(b).toBe(a + 1);
    }));
  });

  it('the order of response items does not matter, and reusing the scorer is safe', () => {
    fc.assert(fc.property(complete, complete, (v, w) => {
      const r = respond(phq9, toAnswers(v));
      const first = scorer.score(r);
      scorer.score(respond(phq9, toAnswers(w)));
      const shuffled = { ...r, item: [...r.item!].reverse() };
      expect(scorer.score(shuffled)).toEqual(first);
      expect(scoreResponse(phq9, r)).toEqual(first);
    }));
  });

  it('reverse keying mirrors the BRS: answering every item the other way round gives 6 − mean', () => {
    const brs = shipped('brs');
    const s = compileScorer(brs);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 6, maxLength: 6 }), (v) => {
      const a = s.score(respond(brs, Object.fromEntries(v.map((x, i) => [`brs-${i + 1}`, x])))).scales[0].value!;
      const b = s.score(respond(brs, Object.fromEntries(v.map((x, i) => [`brs-${i + 1}`, 6 - x])))).scales[0].value!;
      expect(a + b).toBeCloseTo(6, 9);
    }));
  });

  it('ignores answers that cannot be scored and reports them', () => {
    const r = respond(phq9, toAnswers([1, 1, 1, 1, 1, 1, 1, 1, 1]));
    r.item![0].answer = [{ valueCoding: { system: 'http://loinc.org', code: 'LA9999-9' } }];
    const result = scorer.score(r);
    expect(result.invalidAnswers).toEqual([{ linkId: 'phq9-1', reason: expect.any(String) }]);
    expect(result.scales[0]).toMatchObject({ value: 9, prorated: true, missing: 1 });
  });
});

describe('Jacobson–Truax parameters', () => {
  const scale = (extra: Partial<ScaleSpec>) => ({ ...validateQuestionnaire(baseQuestionnaire()).scoring!.scales[0], ...extra });
  const norm = (mean: number, sd: number) => ({ group: 'g', label: {}, mean, sd, n: null, source: 'test' });

  it('S_diff = SD·√2·√(1−r), 1.96·S_diff, and cut-off c from both norm groups', () => {
    const p = reliableChangeParameters(scale({ sd: { value: 6, source: 's' }, reliability: { value: 0.84, kind: 'alpha', source: 'r' }, clinical: norm(20, 5), nonClinical: norm(8, 4), cutoff: { value: 10, source: 'published' } }));
    expect(p.sDiff).toBeCloseTo(6 * Math.SQRT2 * 0.4, 12);
    expect(p.minimumReliableChange).toBeCloseTo(1.96 * 6 * Math.SQRT2 * 0.4, 12);
    expect(p.cutoff).toMatchObject({ method: 'jacobson-truax-c' });
    expect(p.cutoff!.value).toBeCloseTo((4 * 20 + 5 * 8) / 9, 12);
  });
  it('falls back to the published cut-off, then to a or b, in the scale direction', () => {
    expect(reliableChangeParameters(scale({ clinical: norm(20, 5), cutoff: { value: 10, source: 'p' } })).cutoff).toMatchObject({ value: 10, method: 'published' });
    expect(reliableChangeParameters(scale({ clinical: norm(20, 5) })).cutoff).toMatchObject({ value: 10, method: 'jacobson-truax-a' });
    expect(reliableChangeParameters(scale({ nonClinical: norm(8, 4) })).cutoff).toMatchObject({ value: 16, method: 'jacobson-truax-b' });
    expect(reliableChangeParameters(scale({ nonClinical: norm(70, 10), direction: 'higher-is-better' })).cutoff).toMatchObject({ value: 50, method: 'jacobson-truax-b' });
  });
  it('uses the clinical SD when no SD is declared', () => {
    const p = reliableChangeParameters(scale({ clinical: norm(20, 5), reliability: { value: 0.75, kind: 'alpha', source: 'r' } }));
    expect(p.sd).toMatchObject({ value: 5, basis: 'clinical-norm' });
    expect(p.sDiff).toBeCloseTo(5 * Math.SQRT2 * 0.5, 12);
  });
});
