/**
 * ML fits and simpler formulas against lme4 (test/fixtures/mixed/*\/extra.json, written by
 * test/fixtures/mixed/make_extra_refs.R), including the expected-course model on log(session + 1).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectMatchesReference, loadFor } from './reference.test.ts';
import { fitGrowthModel, fitInterceptModel, prepareGrowth, prepareIntercept } from './fit.ts';
import { growthCriterion } from './growth-model.ts';
import { interceptCriterion } from './intercept-model.ts';
import { fitExpectedCourse } from './course.ts';
import type { GrowthStats } from './growth-stats.ts';
import type { InterceptStats } from './intercept-stats.ts';
import type { FitMethod, MixedFit } from './types.ts';

const fixtures = new URL('../../../../test/fixtures/mixed/', import.meta.url).pathname;

interface ExtraCase {
  data: 'patients' | 'sessions';
  formula: string;
  method: FitMethod;
  criterion: number;
  theta: number | number[];
  sigma: number;
  logLik: number;
  AIC: number;
  BIC: number;
  fixed: { term: string; estimate: number; se: number }[];
  varcomp: { group: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
  criterion_at: { theta: number | number[]; criterion: number }[];
  therapist_eb?: { therapist: number; blup: number; cond_sd: number }[];
  icc?: number;
  icc_profile_ci95?: [number, number];
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** Reads sessions.csv (small, test-only) for the log-time course model. */
function sessionRows(dir: string) {
  const lines = readFileSync(`${fixtures}${dir}/sessions.csv`, 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const [therapist, patient, session, intake, score] = l.split(',');
    return { therapist, patient, session: Number(session), intake: Number(intake), score: Number(score) };
  });
}

for (const dir of ['small', 'boundary']) {
  const ref = JSON.parse(readFileSync(`${fixtures}${dir}/extra.json`, 'utf8')) as { cases: ExtraCase[] };
  describe(`lme4 extra references: ${dir}`, () => {
    for (const c of ref.cases) {
      it(`${c.method} ${c.formula}`, async () => {
        let fit: MixedFit;
        let at: (theta: number[]) => number;
        if (c.formula.includes('lt')) {
          const model = fitExpectedCourse(sessionRows(dir), { method: c.method });
          fit = model.fit;
          // Term names of the course API are generic: t, intake.
          c.fixed = c.fixed.map((f) => ({ ...f, term: f.term.replace('lt', 't').replace('intake_c', 'intake') }));
          c.varcomp = c.varcomp.map((v) => ({
            ...v,
            var1: v.var1 === 'lt' ? 't' : v.var1,
            var2: v.var2 === 'lt' ? 't' : v.var2,
          }));
          at = () => NaN;
        } else {
          const { spec, data } = await loadFor(dir, c.data, c.formula);
          if (data.kind === 'intercept') {
            const prob = prepareIntercept(data.stats as InterceptStats);
            fit = fitInterceptModel(prob, { method: c.method, group: spec.groupVariables[0] });
            at = (t) => interceptCriterion(prob, c.method).evaluate(t);
          } else {
            const r = spec.random.kind === 'growth' ? spec.random : null;
            const structure = { slope: r?.slope != null, therapist: r?.therapist != null };
            const prob = prepareGrowth(data.stats as GrowthStats, structure);
            fit = fitGrowthModel(prob, {
              method: c.method,
              slopeName: r?.slope ?? undefined,
              names: { patient: 'patient', therapist: 'therapist' },
            });
            at = (t) => growthCriterion(prob, c.method).evaluate(t);
          }
          for (const p of c.criterion_at)
            expect(rel(at(Array.isArray(p.theta) ? p.theta : [p.theta]), p.criterion)).toBeLessThan(1e-8);
        }
        expect(fit.method).toBe(c.method);
        expectMatchesReference(fit, { ...c, therapist_eb: c.therapist_eb ?? [] });
        expect(Math.abs(fit.logLik - c.logLik)).toBeLessThan(1e-6);
        expect(Math.abs(fit.aic - c.AIC)).toBeLessThan(1e-6);
        expect(Math.abs(fit.bic - c.BIC)).toBeLessThan(1e-6);
      });
    }
  });
}
