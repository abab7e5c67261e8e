import { describe, expect, it } from 'vitest';
import {
  CLIENT_CRYING_NORMS,
  compareWithNorms,
  CRYING_PRONENESS_NORMS,
  tearsComparisons,
  tearsScaleScores,
} from './norms.ts';
import { questionnaireResponseFor } from './questionnaire-items.ts';
import { shipped } from './testing.ts';

describe('Dutch norms of seed 000', () => {
  it('gives z and the normal percentile against each group', () => {
    const c = compareWithNorms(CRYING_PRONENESS_NORMS, 5.3, null);
    expect(c.results.map((r) => r.group.id)).toEqual(['population', 'therapists']);
    const population = c.results[0];
    expect(population.z).toBeCloseTo((5.3 - 2.55) / 1.86, 12);
    expect(population.percentile).toBeCloseTo(93.04, 1);
    expect(c.results[1].z).toBeCloseTo(0, 12);
    expect(c.results[1].percentile).toBeCloseTo(50, 10);
    expect(c.note?.en).toContain('Norms exist only for women and men');
  });

  it('adds the gender groups for a known gender', () => {
    const women = compareWithNorms(CRYING_PRONENESS_NORMS, 5.62, 'female');
    expect(women.results.map((r) => r.group.id)).toEqual([
      'population',
      'population.women',
      'therapists',
      'therapists.women',
    ]);
    expect(women.results.find((r) => r.group.id === 'therapists.women')!.z).toBeCloseTo(0, 12);
    expect(women.note).toBeNull();
    expect(compareWithNorms(CRYING_PRONENESS_NORMS, 3, 'male').results.map((r) => r.group.id)).toContain(
      'population.men',
    );
  });

  it('states source and limits with every scale', () => {
    for (const scale of [CRYING_PRONENESS_NORMS, CLIENT_CRYING_NORMS]) {
      expect(scale.source.nl).toContain("'t Lam");
      expect(scale.limits.en).toContain('Self-report');
      expect(scale.limits.nl).toContain('Zelfrapportage');
    }
  });

  it('uses the same norms as the spiegel-tears Questionnaire declares', () => {
    const spec = shipped('spiegel-tears').spec!;
    const declared = (scaleId: string) =>
      spec.scales.find((s) => s.id === scaleId)!.norms.map((n) => [n.mean, n.sd, n.n]);
    const ours = (groups: typeof CRYING_PRONENESS_NORMS.groups) => groups.map((g) => [g.mean, g.sd, g.n]);
    expect(ours(CRYING_PRONENESS_NORMS.groups)).toEqual(declared('crying-proneness'));
    expect(declared('attitude-client-crying')).toContainEqual(ours(CLIENT_CRYING_NORMS.groups)[0]);
  });

  it('scores the two normed scales by the instrument’s rules (items 5–9 reversed)', () => {
    const scorer = shipped('spiegel-tears');
    const answers: Record<string, number> = { 'crying-proneness': 6 };
    for (let i = 1; i <= 9; i++) answers[`attitude-${i}`] = i <= 4 ? 6 : 2; // negatives at 2 → 6 after reversing
    const scores = tearsScaleScores(scorer.score(questionnaireResponseFor(scorer.questionnaire, answers)));
    expect(scores).toEqual({ cryingProneness: 6, clientCryingAttitude: 6 });
    const comparisons = tearsComparisons(scores, 'female');
    expect(comparisons.map((c) => c.scale.id)).toEqual(['cryingProneness', 'clientCryingAttitude']);
    expect(comparisons[1].results[0].z).toBeCloseTo((6 - 5.92) / 0.61, 10);
    expect(tearsComparisons(tearsScaleScores(null), null)).toEqual([]);
  });
});
