import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitExpectedCourse, predictExpectedCourse, type CourseObservation } from './course.ts';

const dir = new URL('../../../../test/fixtures/mixed/small/', import.meta.url).pathname;
const ref = JSON.parse(readFileSync(`${dir}reference.json`, 'utf8')) as {
  model_b: { reml_criterion: number; fixed: { estimate: number }[] };
};
const obs: CourseObservation[] = readFileSync(`${dir}sessions.csv`, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => {
    const [therapist, patient, session, intake, score] = l.split(',');
    return { therapist, patient, session: Number(session), intake: Number(intake), score: Number(score) };
  });

describe('expected treatment response', () => {
  it('with f(session) = session is model b of the reference', () => {
    const m = fitExpectedCourse(obs, { time: (s) => s });
    expect(m.fit.criterion).toBeLessThanOrEqual(ref.model_b.reml_criterion + 1e-6);
    m.beta.forEach((b, k) =>
      expect(Math.abs(b - ref.model_b.fixed[k].estimate) / Math.abs(ref.model_b.fixed[k].estimate)).toBeLessThan(1e-6),
    );
  });

  const model = fitExpectedCourse(obs);

  it('predicts the mean course Xβ on the log(session + 1) scale, with a band from the variance components', () => {
    const [p0, p5] = predictExpectedCourse(model, 4, [0, 5], { coverage: 0.9, fixedUncertainty: false });
    const [b0, bt, bi, bti] = model.beta;
    expect(p0.t).toBe(0);
    expect(p5.t).toBeCloseTo(Math.log(6), 14);
    expect(p5.mean).toBeCloseTo(b0 + bt * p5.t + bi * 4 + bti * p5.t * 4, 12);
    const c = model.fit.covariances;
    const P = c.patient as [[number, number], [number, number]];
    const v5 = P[0][0] + 2 * p5.t * P[0][1] + p5.t ** 2 * P[1][1] + c.therapist + c.residual;
    expect(p5.sd).toBeCloseTo(Math.sqrt(v5), 12);
    expect(p5.upper - p5.mean).toBeCloseTo(1.6448536269514722 * p5.sd, 10);
    expect(p5.mean - p5.lower).toBeCloseTo(p5.upper - p5.mean, 10);
    expect(p0.sd).toBeCloseTo(Math.sqrt(P[0][0] + c.therapist + c.residual), 12);
  });

  it('widens with coverage and with the fixed-effect uncertainty', () => {
    const [narrow] = predictExpectedCourse(model, 0, [3], { coverage: 0.5 });
    const [wide] = predictExpectedCourse(model, 0, [3], { coverage: 0.95 });
    const [noFixed] = predictExpectedCourse(model, 0, [3], { coverage: 0.95, fixedUncertainty: false });
    expect(wide.upper - wide.lower).toBeGreaterThan(narrow.upper - narrow.lower);
    expect(wide.sd).toBeGreaterThan(noFixed.sd);
    expect(() => predictExpectedCourse(model, 0, [3], { coverage: 1 })).toThrow(/coverage/);
  });

  it('can condition on a known therapist (EB effect, conditional variance)', () => {
    const e = model.fit.therapistEffects[0];
    const [all] = predictExpectedCourse(model, 0, [2], { fixedUncertainty: false });
    const [own] = predictExpectedCourse(model, 0, [2], { therapist: e.therapist, fixedUncertainty: false });
    expect(own.mean - all.mean).toBeCloseTo(e.blup, 12);
    expect(own.sd).toBeLessThan(all.sd);
    expect(() => predictExpectedCourse(model, 0, [2], { therapist: 'nobody' })).toThrow(/not in the fitted data/);
  });
});
