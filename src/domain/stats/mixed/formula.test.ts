import { describe, expect, it } from 'vitest';
import { designFiller, parseFormula } from './formula.ts';
import { SpiegelError } from '../../errors.ts';

describe('parseFormula', () => {
  it('reads model a', () => {
    const s = parseFormula('post ~ intake_c + age_c + female + (1 | therapist)');
    expect(s.response).toBe('post');
    expect(s.columns).toEqual(['(Intercept)', 'intake_c', 'age_c', 'female']);
    expect(s.random).toEqual({ kind: 'intercept', group: 'therapist' });
    expect(s.numericVariables).toEqual(['post', 'intake_c', 'age_c', 'female']);
    expect(s.groupVariables).toEqual(['therapist']);
  });

  it('reads model b, expanding * as R does (main effects first, then the interaction)', () => {
    const s = parseFormula('score ~ session * intake_c + (1 + session | patient) + (1 | therapist)');
    expect(s.columns).toEqual(['(Intercept)', 'session', 'intake_c', 'session:intake_c']);
    expect(s.random).toEqual({ kind: 'growth', patient: 'patient', therapist: 'therapist', slope: 'session' });
    expect(s.groupVariables).toEqual(['patient', 'therapist']);
  });

  it('orders terms by degree and deduplicates interactions regardless of order', () => {
    const s = parseFormula('y ~ a*b + c + b:a + (1|g)');
    expect(s.columns).toEqual(['(Intercept)', 'a', 'b', 'c', 'a:b']);
    expect(parseFormula('y ~ a*b*c + (1|g)').columns).toEqual([
      '(Intercept)',
      'a',
      'b',
      'c',
      'a:b',
      'a:c',
      'b:c',
      'a:b:c',
    ]);
    expect(parseFormula('y ~ (a + b):c + (1|g)').columns).toEqual(['(Intercept)', 'a:c', 'b:c']);
  });

  it('accepts intercept-only and the simpler random structures', () => {
    expect(parseFormula('post ~ 1 + (1|therapist)').columns).toEqual(['(Intercept)']);
    expect(parseFormula('score ~ session + (session | patient) + (1 | therapist)').random).toEqual({
      kind: 'growth',
      patient: 'patient',
      therapist: 'therapist',
      slope: 'session',
    });
    expect(parseFormula('score ~ session + (1 | therapist) + (1 + session | patient)').random).toMatchObject({
      patient: 'patient',
      therapist: 'therapist',
    });
    expect(parseFormula('score ~ session + (1 | patient) + (1 | therapist)').random).toEqual({
      kind: 'growth',
      patient: 'patient',
      therapist: 'therapist',
      slope: null,
    });
    expect(parseFormula('score ~ session + (1 + session | patient)').random).toEqual({
      kind: 'growth',
      patient: 'patient',
      therapist: null,
      slope: 'session',
    });
  });

  const refusals: [string, RegExp][] = [
    ['', /empty/],
    ['~ x + (1|g)', /response/],
    ['y ~ x', /random-effects term/],
    ['y ~ x + (1||g)', /'\|\|'/],
    ['y ~ x + (x || g)', /'\|\|'/],
    ['y ~ x + (0 + x | g)', /\(0 \+ x \| g\)/],
    ['y ~ 0 + x + (1|g)', /without an intercept/],
    ['y ~ x - 1 + (1|g)', /'-'/],
    ['y ~ log(x) + (1|g)', /functions such as log\(\)/],
    ['y ~ x + (1 | a:b)', /needs the outer level too/],
    ['y ~ x + (1|a) + (1|b) + (1|c)', /at most two/],
    ['y ~ x + (1 + x | a) + (1 + x | b)', /only the inner/],
    ['y ~ x + (1 + x + z | a)', /at most one random slope/],
    ['y ~ x + (1|g) + (1|g)', /same grouping/],
    ['y ~ x^2 + (1|g)', /not supported/],
    ['y ~ x + (1|g', /expected '\)'/],
    ['y ~ x + y + (1|g)', /response 'y' also appears/],
    ['y ~ x + (1 | x)', /both as a grouping column/],
    ['y ~ x $ z + (1|g)', /unexpected character/],
  ];
  it.each(refusals)('refuses %j with a clear MODEL_FORMULA_INVALID message', (f, message) => {
    try {
      parseFormula(f);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SpiegelError);
      expect((e as SpiegelError).code).toBe('MODEL_FORMULA_INVALID');
      expect((e as SpiegelError).message).toMatch(message);
    }
  });
});

describe('designFiller', () => {
  it('multiplies the variables of each term', () => {
    const s = parseFormula('score ~ session * intake_c + (1 + session | patient) + (1 | therapist)');
    const out = new Float64Array(4);
    designFiller(s)([20, 3, -2], out);
    expect(Array.from(out)).toEqual([1, 3, -2, -6]);
  });
});

describe('nested notation and refusals (issue 18)', () => {
  const refuse = (f: string, msg: RegExp) => expect(() => parseFormula(f)).toThrow(msg);
  it('reads therapist/patient and therapist:patient as nested levels, in any order', () => {
    for (const f of [
      'y ~ x + (1 | therapist/patient)',
      'y ~ x + (1 | therapist:patient) + (1 | therapist)',
      'y ~ x + (1 | therapist) + (1 | therapist:patient)',
    ]) {
      const s = parseFormula(f);
      expect(s.random).toEqual({ kind: 'growth', patient: 'patient', therapist: 'therapist', slope: null });
      expect(s.innerWithinOuter).toBe(true);
    }
    const g = parseFormula('y ~ t + (1 | therapist) + (1 + t | therapist:patient)');
    expect(g.random).toEqual({ kind: 'growth', patient: 'patient', therapist: 'therapist', slope: 't' });
  });
  it('refuses therapist-level slopes, crossed designs and a lone a:b, naming them', () => {
    refuse('y ~ t + (1 + t | therapist/patient)', /random slopes at the therapist level are not supported/);
    refuse('y ~ t + (1 + t | patient) + (1 + t | therapist)', /random slopes at the therapist level/);
    refuse('y ~ x + (1 | site:patient) + (1 | therapist)', /crossed designs are not supported/);
    refuse('y ~ x + (1 | therapist:patient)', /needs the outer level too/);
    refuse('y ~ x + (1 | a/b/c)', /at most two nested levels/);
  });
  it('reads backticked column names (spaces, quotes) and names their columns as R does', () => {
    const s = parseFormula('y ~ `intake  score` * female + (1 + `weeks in care` | `patient id`) + (1|therapist)');
    expect(s.numericVariables).toEqual(['y', 'intake  score', 'female', 'weeks in care']);
    expect(s.columns).toEqual(['(Intercept)', '`intake  score`', 'female', '`intake  score`:female']);
    expect(s.random).toEqual({ kind: 'growth', patient: 'patient id', therapist: 'therapist', slope: 'weeks in care' });
    expect(parseFormula('y ~ `x` + `if` + (1 | g)').columns).toEqual(['(Intercept)', 'x', '`if`']);
    refuse('y ~ `intake score + (1 | g)', /unclosed backtick at position 5/);
  });
});
