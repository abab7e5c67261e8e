/**
 * Parser for the lme4-style formulas the engine fits:
 *   y ~ fixed + (1 | g)                                random intercept (two levels)
 *   y ~ fixed + (1 + t | patient) + (1 | therapist)    growth model (three levels, nested)
 *   y ~ fixed + (1 | patient) + (1 | therapist)        nested intercepts (first term = inner level)
 *   y ~ fixed + (1 + t | patient)                      growth model without a therapist level
 * Fixed parts use numeric columns with `+`, `*` and `:` (and parentheses), as R expands them.
 * Anything else is refused with MODEL_FORMULA_INVALID rather than silently misread.
 */
import { SpiegelError } from '../../errors.ts';

export type RandomSpec =
  | { kind: 'intercept'; group: string }
  | { kind: 'growth'; patient: string; therapist: string | null; slope: string | null };

export interface ModelSpec {
  /** The formula as given (whitespace normalised). */
  formula: string;
  response: string;
  /** Fixed-effect column names in lme4's order; the first is '(Intercept)'. */
  columns: string[];
  /** Variables of each fixed column (empty for the intercept). */
  terms: string[][];
  random: RandomSpec;
  /** Numeric columns the data must provide (response, fixed variables, random slope). */
  numericVariables: string[];
  /** Grouping columns, inner level first. */
  groupVariables: string[];
  /**
   * True for `therapist/patient` and `therapist:patient`: the inner level is the pair (outer, inner),
   * so patient ids may restart within each therapist (as R's interaction factor reads them).
   */
  innerWithinOuter: boolean;
  /**
   * Per fixed column, per variable of `terms[c]`: the level code of a factor variable (the column is
   * 1 where the factor has that level), or null for a numeric variable. See factors.ts.
   */
  columnCodes: (number | null)[][];
  /** Factor variables and their levels, the reference level first (empty until `withFactors`). */
  factors: Record<string, string[]>;
}

/** A variable as R names it in coefficient names: non-syntactic names in backticks. */
export function rName(v: string): string {
  return /^(?:[A-Za-z]|\.(?![0-9]))[A-Za-z0-9._]*$/.test(v) && !R_RESERVED.has(v) ? v : `\`${v}\``;
}
const R_RESERVED = new Set([
  'if',
  'else',
  'repeat',
  'while',
  'function',
  'for',
  'next',
  'break',
  'TRUE',
  'FALSE',
  'NULL',
  'Inf',
  'NaN',
  'NA',
  'in',
]);

type Tok = { kind: 'id' | 'num' | 'op'; text: string; pos: number };

const fail = (message: string, formula: string): never => {
  throw new SpiegelError('MODEL_FORMULA_INVALID', message, { formula });
};

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  // A backticked name (`intake score`) is one column name, as in R.
  const re = /\s*(?:([A-Za-z.][A-Za-z0-9._]*)|`([^`]+)`|([0-9]+(?:\.[0-9]+)?)|(\|\||[~+*:|()\-/^]))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) {
      const ch = src.slice(pos).trim()[0];
      fail(
        ch === '`'
          ? `unclosed backtick at position ${src.indexOf('`', pos) + 1}`
          : `unexpected character '${ch}' at position ${pos + 1}`,
        src,
      );
    }
    const mm = m as RegExpExecArray;
    if (mm[1] !== undefined) out.push({ kind: 'id', text: mm[1], pos });
    else if (mm[2] !== undefined) out.push({ kind: 'id', text: mm[2], pos });
    else if (mm[3] !== undefined) out.push({ kind: 'num', text: mm[3], pos });
    else out.push({ kind: 'op', text: mm[4], pos });
    pos = re.lastIndex;
  }
  return out;
}

interface RandomTerm {
  slope: string | null;
  group: string;
  /** For `a:b` (and the inner half of `a/b`): the outer grouping column a. */
  within?: string;
}

/** A set of fixed terms; each term is a set of variable names ([] = intercept). */
type TermSet = string[][];

export function parseFormula(input: string): ModelSpec {
  // Whitespace is normalised outside backticks only: `intake  score` names its column exactly.
  const formula = input
    .trim()
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/\s+/g, ' ')))
    .join('');
  if (formula === '') fail('the formula is empty', input);
  const toks = tokenize(formula);
  let i = 0;
  const peek = (): Tok | undefined => toks[i];
  const isOp = (t: Tok | undefined, op: string): boolean => t !== undefined && t.kind === 'op' && t.text === op;
  const expectOp = (op: string): void => {
    if (!isOp(peek(), op)) fail(`expected '${op}' ${peek() ? `at '${peek()?.text}'` : 'at the end'}`, formula);
    i++;
  };
  const resp = peek();
  if (!resp || resp.kind !== 'id')
    return fail("the formula must start with a response column, as in 'score ~ ...'", formula);
  i++;
  if (isOp(peek(), '('))
    fail(`functions such as ${resp.text}() are not supported; add a computed column instead`, formula);
  expectOp('~');

  const randoms: RandomTerm[] = [];
  // R orders the variables of an interaction by their first appearance in the formula.
  const varOrder: string[] = [];

  const parseRandom = (): RandomTerm[] => {
    // after '(' of a term that contains '|'
    let slope: string | null = null;
    for (;;) {
      const t = peek();
      if (!t) fail('unclosed random-effects term', formula);
      const tt = t as Tok;
      if (tt.kind === 'num') {
        // '(x | g)' means '(1 + x | g)' in lme4, so the '1' is optional.
        if (tt.text !== '1')
          fail(
            `random-effects term: only '1' (intercept) is allowed, not '${tt.text}'; '(0 + x | g)' is not supported`,
            formula,
          );
      } else if (tt.kind === 'id') {
        if (slope !== null) fail('random-effects term: at most one random slope is supported', formula);
        slope = tt.text;
      } else
        fail(`random-effects term: unexpected '${tt.text}'; only '(1 | g)' and '(1 + x | g)' are supported`, formula);
      i++;
      if (isOp(peek(), '+')) {
        i++;
        continue;
      }
      break;
    }
    if (isOp(peek(), '||')) fail("uncorrelated random effects '||' are not supported", formula);
    expectOp('|');
    const g = peek();
    if (!g || g.kind !== 'id') return fail('random-effects term: expected a grouping column after |', formula);
    i++;
    if (isOp(peek(), ':') || isOp(peek(), '/')) {
      const op = (peek() as Tok).text;
      i++;
      const inner = peek();
      if (!inner || inner.kind !== 'id')
        return fail(`random-effects term: expected a grouping column after '${g.text}${op}'`, formula);
      i++;
      if (isOp(peek(), ':') || isOp(peek(), '/'))
        fail('random-effects term: at most two nested levels (therapist/patient) are supported', formula);
      expectOp(')');
      if (op === ':') return [{ slope, group: inner.text, within: g.text }];
      // a/b is (… | a) + (… | a:b): a slope would also be a slope at the outer (therapist) level.
      if (slope !== null)
        fail(
          `random slopes at the therapist level are not supported: '(1 + ${slope} | ${g.text}/${inner.text})' gives '${g.text}' a slope too; write (1 + ${slope} | ${g.text}:${inner.text}) + (1 | ${g.text})`,
          formula,
        );
      return [
        { slope: null, group: g.text },
        { slope: null, group: inner.text, within: g.text },
      ];
    }
    expectOp(')');
    return [{ slope, group: g.text }];
  };

  const containsBar = (): boolean => {
    // Looks ahead from just after '(' to its matching ')' for a '|' at depth 0.
    let depth = 0;
    for (let k = i; k < toks.length; k++) {
      const t = toks[k];
      if (isOp(t, '(')) depth++;
      else if (isOp(t, ')')) {
        if (depth === 0) return false;
        depth--;
      } else if ((isOp(t, '|') || isOp(t, '||')) && depth === 0) return true;
    }
    return false;
  };

  const cross = (a: TermSet, b: TermSet): TermSet => {
    const out: TermSet = [];
    for (const x of a) for (const y of b) out.push([...x, ...y.filter((v) => !x.includes(v))]);
    return out;
  };
  const union = (a: TermSet, b: TermSet): TermSet => [...a, ...b];

  const parseAtom = (top: boolean): TermSet | null => {
    const t = peek();
    if (!t) return fail('the formula ends too early', formula);
    if (isOp(t, '(')) {
      i++;
      if (containsBar()) {
        if (!top) fail('a random-effects term cannot be part of a product', formula);
        randoms.push(...parseRandom());
        return null;
      }
      const inner = parseSum(false);
      expectOp(')');
      return inner;
    }
    if (t.kind === 'num') {
      i++;
      if (t.text === '1') return [[]];
      if (t.text === '0') fail('models without an intercept are not supported', formula);
      return fail(`unexpected number '${t.text}'`, formula);
    }
    if (t.kind === 'id') {
      i++;
      if (!varOrder.includes(t.text)) varOrder.push(t.text);
      if (isOp(peek(), '('))
        fail(`functions such as ${t.text}() are not supported; add a computed column instead`, formula);
      return [[t.text]];
    }
    if (isOp(t, '-')) fail("removing terms with '-' (including '-1') is not supported", formula);
    return fail(`unexpected '${t.text}'`, formula);
  };

  const parseInteraction = (top: boolean): TermSet | null => {
    let left = parseAtom(top);
    while (isOp(peek(), ':')) {
      i++;
      if (left === null) fail('a random-effects term cannot be part of an interaction', formula);
      const right = parseAtom(false) as TermSet;
      left = cross(left as TermSet, right);
    }
    return left;
  };

  const parseProduct = (top: boolean): TermSet | null => {
    let left = parseInteraction(top);
    while (isOp(peek(), '*')) {
      i++;
      if (left === null) fail('a random-effects term cannot be part of a product', formula);
      const right = parseInteraction(false) as TermSet;
      left = union(union(left as TermSet, right), cross(left as TermSet, right));
    }
    if (isOp(peek(), '^') || isOp(peek(), '/'))
      fail(`operator '${peek()?.text}' is not supported in the fixed part`, formula);
    return left;
  };

  function parseSum(top: boolean): TermSet {
    let terms: TermSet = [];
    for (;;) {
      const t = parseProduct(top);
      if (t) terms = union(terms, t);
      if (isOp(peek(), '+')) {
        i++;
        continue;
      }
      if (isOp(peek(), '-')) fail("removing terms with '-' (including '-1') is not supported", formula);
      break;
    }
    return terms;
  }

  const fixedRaw = parseSum(true);
  if (i < toks.length) fail(`unexpected '${toks[i].text}' at position ${toks[i].pos + 1}`, formula);

  // Canonical terms: variables in order of first appearance, deduplicated, ordered by degree (as R).
  const order = varOrder;
  const seen = new Set<string>();
  const terms: string[][] = [];
  for (const t of fixedRaw) {
    if (t.length === 0) continue;
    const sorted = [...new Set(t)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const key = sorted.join(':');
    if (!seen.has(key)) {
      seen.add(key);
      terms.push(sorted);
    }
  }
  terms.sort((a, b) => a.length - b.length);
  if (order.includes(resp.text)) fail(`the response '${resp.text}' also appears among the fixed effects`, formula);

  const random = classifyRandom(randoms, formula);
  const numeric = [resp.text, ...order];
  if (random.kind === 'growth' && random.slope && !numeric.includes(random.slope)) numeric.push(random.slope);
  const groups =
    random.kind === 'intercept'
      ? [random.group]
      : random.therapist
        ? [random.patient, random.therapist]
        : [random.patient];
  for (const g of groups)
    if (numeric.includes(g)) fail(`'${g}' is used both as a grouping column and as a numeric variable`, formula);
  return {
    formula,
    response: resp.text,
    columns: ['(Intercept)', ...terms.map((t) => t.map(rName).join(':'))],
    terms: [[], ...terms],
    columnCodes: [[], ...terms.map((t) => t.map(() => null))],
    factors: {},
    random,
    numericVariables: numeric,
    groupVariables: groups,
    innerWithinOuter: randoms.some((r) => r.within !== undefined),
  };
}

function classifyRandom(rs: RandomTerm[], formula: string): RandomSpec {
  if (rs.length === 0) return fail('a random-effects term such as (1 | therapist) is required', formula);
  if (rs.length > 2)
    return fail('at most two random-effects terms are supported: (1 + t | patient) + (1 | therapist)', formula);
  if (rs.length === 1) {
    const [r] = rs;
    if (r.within !== undefined)
      return fail(
        `'(… | ${r.within}:${r.group})' needs the outer level too: add (1 | ${r.within}), or write (1 | ${r.within}/${r.group})`,
        formula,
      );
    return r.slope === null
      ? { kind: 'intercept', group: r.group }
      : { kind: 'growth', patient: r.group, therapist: null, slope: r.slope };
  }
  const [a, b] = rs;
  if (a.group === b.group)
    return fail(`two random-effects terms for the same grouping column '${a.group}' are not supported`, formula);
  if (a.slope !== null && b.slope !== null)
    return fail(
      'random slopes at the therapist level are not supported: only the inner (patient) level can have one',
      formula,
    );
  // The inner level: the one written as outer:inner, else the one with the slope, else the first term.
  const nested = rs.find((r) => r.within !== undefined);
  const inner = nested ?? (b.slope !== null ? b : a);
  const outer = inner === a ? b : a;
  if (nested && nested.within !== outer.group)
    return fail(
      `'${nested.within}:${nested.group}' is nested in '${nested.within}', but the other term groups by '${outer.group}'; crossed designs are not supported`,
      formula,
    );
  if (outer.slope !== null)
    return fail(
      `random slopes at the therapist level are not supported: '${outer.group}' is the outer level and has a slope on '${outer.slope}'`,
      formula,
    );
  return { kind: 'growth', patient: inner.group, therapist: outer.group, slope: inner.slope };
}

/**
 * Fills the fixed design row from the variables (in `spec.numericVariables` order). A factor
 * variable's value is its level code (index into `spec.factors[v]`).
 */
export function designFiller(spec: ModelSpec): (values: ArrayLike<number>, out: Float64Array) => void {
  const idx = spec.terms.map((t) => t.map((v) => spec.numericVariables.indexOf(v)));
  const codes = spec.columnCodes;
  if (codes.every((c) => c.every((x) => x === null)))
    return (values, out) => {
      for (let c = 0; c < idx.length; c++) {
        const vars = idx[c];
        let prod = 1;
        for (let k = 0; k < vars.length; k++) prod *= values[vars[k]];
        out[c] = prod;
      }
    };
  return (values, out) => {
    for (let c = 0; c < idx.length; c++) {
      const vars = idx[c];
      const code = codes[c];
      let prod = 1;
      for (let k = 0; k < vars.length; k++) {
        const level = code[k];
        prod *= level === null ? values[vars[k]] : values[vars[k]] === level ? 1 : 0;
      }
      out[c] = prod;
    }
  };
}
