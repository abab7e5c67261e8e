/**
 * "Controleer": a consistency checker for reported results. Published numbers are rounded, so every
 * recomputation runs over the rounding intervals of its inputs (each mean and SD ± half a unit in the
 * last reported decimal) and a reported value is consistent when it falls inside what those allow.
 * Kinds: p from t and df; d from M, SD and N (pooled d or d = 2t/√df); GRIM for Likert means (Brown &
 * Heathers 2017); a percentage against its valid N; Student or Welch t (and df) from summary statistics.
 */
import { cohenD, dFromT, studentFromSummary, tTwoSidedP, welchFromSummary, type GroupSummary } from '../stats/index.ts';
import { SpiegelError } from '../errors.ts';
import type { Lang } from '../stats/apa.ts';

export interface CheckResult {
  id: string;
  kind: string;
  consistent: boolean | null;
  recomputed: Record<string, number | [number, number] | string>;
  /** What the check found, in both UI languages (numbers with the language's decimal separator). */
  message: Record<Lang, string>;
}

type Input = Record<string, unknown>;

function num(input: Input, key: string, id: string): number {
  const v = input[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new SpiegelError('STATS_INPUT_INVALID', `Result '${id}': '${key}' must be a number.`, { id, field: key });
  return v;
}

const half = (decimals: number) => 0.5 * 10 ** -decimals;
const round = (x: number, d: number) => Number(x.toFixed(d));

function groupsOf(input: Input, id: string): [GroupSummary, GroupSummary] {
  return [
    { mean: num(input, 'm1', id), sd: num(input, 'sd1', id), n: num(input, 'n1', id) },
    { mean: num(input, 'm2', id), sd: num(input, 'sd2', id), n: num(input, 'n2', id) },
  ];
}

/** Every combination of the rounding bounds of both means and SDs. */
function corners(a: GroupSummary, b: GroupSummary, decimals: number): [GroupSummary, GroupSummary][] {
  const h = half(decimals);
  const out: [GroupSummary, GroupSummary][] = [];
  for (const dm1 of [-h, h])
    for (const dm2 of [-h, h])
      for (const ds1 of [-h, h])
        for (const ds2 of [-h, h])
          out.push([
            { ...a, mean: a.mean + dm1, sd: Math.max(1e-12, a.sd + ds1) },
            { ...b, mean: b.mean + dm2, sd: Math.max(1e-12, b.sd + ds2) },
          ]);
  return out;
}

const range = (xs: number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];
const inside = (x: number, [lo, hi]: [number, number], slack: number) => x >= lo - slack && x <= hi + slack;
/** A number as reported or recomputed, with a decimal comma in Dutch. */
const num2 = (lang: Lang, x: number, d?: number): string => {
  const s = d === undefined ? String(x) : x.toFixed(d);
  return lang === 'nl' ? s.replace('.', ',') : s;
};
const show = (lang: Lang, r: [number, number], d = 2) => `${num2(lang, r[0], d)}–${num2(lang, r[1], d)}`;
const both = (f: (lang: Lang) => string): Record<Lang, string> => ({ nl: f('nl'), en: f('en') });

function checkT(input: Input, id: string, method: 'welch' | 'student'): CheckResult {
  const [a, b] = groupsOf(input, id);
  const decimals = typeof input.decimals === 'number' ? input.decimals : 2;
  const test = method === 'welch' ? welchFromSummary : studentFromSummary;
  const point = test(a, b);
  const runs = corners(a, b, decimals).map(([x, y]) => test(x, y));
  const tRange = range(runs.map((r) => Math.abs(r.t)));
  const dfRange = range(runs.map((r) => r.df));
  const t = Math.abs(num(input, 't', id));
  const tOk = inside(t, tRange, half(2));
  const df = typeof input.df === 'number' ? input.df : null;
  const dfOk = df === null || method === 'student' || inside(df, dfRange, 0.5 + half(2));
  const label = method === 'welch' ? 'Welch' : 'Student';
  return {
    id,
    kind: `${method}-summary`,
    consistent: tOk && dfOk,
    recomputed: { t: point.t, df: point.df, p: point.p, tRange, dfRange },
    message: both((l) => {
      const reported = `t = ${num2(l, t)}${df !== null ? `, df = ${num2(l, df)}` : ''}`;
      const allowed = `|t| ${show(l, tRange)}${method === 'welch' ? `, df ${show(l, dfRange)}` : ''}`;
      const computed = `t(${num2(l, point.df, 2)}) = ${num2(l, point.t, 2)}`;
      if (tOk && dfOk)
        return l === 'nl'
          ? `${label} ${computed} past bij de gerapporteerde ${reported}.`
          : `${label} ${computed} fits the reported ${reported}.`;
      return l === 'nl'
        ? `${label} t uit de gerapporteerde gemiddelden, SD’s en N’s is ${num2(l, point.t, 2)} (df ${num2(l, point.df, 2)}; afronding laat ${allowed} toe), niet de gerapporteerde ${reported}.`
        : `${label} t from the reported means, SDs and Ns is ${num2(l, point.t, 2)} (df ${num2(l, point.df, 2)}; rounding allows ${allowed}), not the reported ${reported}.`;
    }),
  };
}

function checkP(input: Input, id: string): CheckResult {
  const t = Math.abs(num(input, 't', id));
  const df = num(input, 'df', id);
  const p = num(input, 'p', id);
  const op = input.pOperator === '<' || input.pOperator === '>' ? input.pOperator : '=';
  const ps = [t - half(2), t + half(2)].map((x) => tTwoSidedP(Math.max(0, x), df));
  const pRange: [number, number] = [Math.min(...ps), Math.max(...ps)];
  const ok = op === '<' ? pRange[0] < p : op === '>' ? pRange[1] > p : inside(p, pRange, half(3));
  const pt = tTwoSidedP(t, df);
  return {
    id,
    kind: 't-p',
    consistent: ok,
    recomputed: { p: pt, pRange },
    message: both((l) => {
      const computed = num2(l, Number(pt.toPrecision(3)));
      const tText = `t(${num2(l, df)}) = ${num2(l, t)}`;
      if (ok)
        return l === 'nl'
          ? `p = ${computed} uit ${tText} past bij de gerapporteerde p ${op} ${num2(l, p)}.`
          : `p = ${computed} from ${tText} fits the reported p ${op} ${num2(l, p)}.`;
      return l === 'nl'
        ? `${tText} geeft tweezijdig p = ${computed}, niet p ${op} ${num2(l, p)}.`
        : `${tText} gives two-sided p = ${computed}, not p ${op} ${num2(l, p)}.`;
    }),
  };
}

function checkD(input: Input, id: string): CheckResult {
  const [a, b] = groupsOf(input, id);
  const d = Math.abs(num(input, 'd', id));
  const runs = corners(a, b, typeof input.decimals === 'number' ? input.decimals : 2);
  const pooled = range(runs.map(([x, y]) => Math.abs(cohenD(x, y))));
  const test = input.test === 'welch' ? welchFromSummary : studentFromSummary;
  const fromT = range(
    runs.map(([x, y]) => {
      const s = test(x, y);
      return Math.abs(dFromT(s.t, s.df));
    }),
  );
  const okPooled = inside(d, pooled, half(2));
  const okFromT = inside(d, fromT, half(2));
  return {
    id,
    kind: 'd-summary',
    consistent: okPooled || okFromT,
    recomputed: { dPooled: Math.abs(cohenD(a, b)), dPooledRange: pooled, dFromTRange: fromT },
    message: both((l) => {
      const dText = `d = ${num2(l, d)}`;
      if (okPooled)
        return l === 'nl'
          ? `${dText} is de d met gepoolde SD, (M1 − M2)/SD gepoold.`
          : `${dText} is the pooled-SD d, (M1 − M2)/SD pooled.`;
      if (okFromT)
        return l === 'nl'
          ? `${dText} is d = 2t/√df (een benadering), niet de d met gepoolde SD (${show(l, pooled)}).`
          : `${dText} is d = 2t/√df (an approximation), not the pooled-SD d (${show(l, pooled)}).`;
      return l === 'nl'
        ? `${dText} past niet bij de d met gepoolde SD (${show(l, pooled)}) en niet bij d = 2t/√df (${show(l, fromT)}).`
        : `${dText} fits neither the pooled-SD d (${show(l, pooled)}) nor d = 2t/√df (${show(l, fromT)}).`;
    }),
  };
}

function checkGrim(input: Input, id: string): CheckResult {
  const mean = num(input, 'mean', id);
  const n = num(input, 'n', id);
  const items = typeof input.items === 'number' ? input.items : 1;
  const decimals = typeof input.decimals === 'number' ? input.decimals : 2;
  const total = n * items;
  if (total >= 10 ** decimals)
    return {
      id,
      kind: 'grim',
      consistent: null,
      recomputed: {},
      message: {
        nl: `GRIM kan een gemiddelde van ${total} antwoorden met ${decimals} decimalen niet toetsen.`,
        en: `GRIM cannot test a mean of ${total} answers at ${decimals} decimals.`,
      },
    };
  const centre = Math.round(mean * total);
  const hits = [centre - 1, centre, centre + 1].filter((s) => round(s / total, decimals) === round(mean, decimals));
  return {
    id,
    kind: 'grim',
    consistent: hits.length > 0,
    recomputed: { nearest: round(centre / total, decimals) },
    message: both((l) => {
      const m = `M = ${num2(l, mean)}`;
      const nearest = num2(l, round(centre / total, decimals));
      if (hits.length)
        return l === 'nl'
          ? `${m} is mogelijk met ${n} respondenten × ${items} item(s) (som ${hits[0]}).`
          : `${m} is possible with ${n} respondents × ${items} item(s) (sum ${hits[0]}).`;
      return l === 'nl'
        ? `${m} is onmogelijk met ${n} respondenten × ${items} item(s) met hele getallen: het dichtstbijzijnde mogelijke gemiddelde is ${nearest}.`
        : `${m} is impossible with ${n} respondents × ${items} whole-number item(s): the nearest possible mean is ${nearest}.`;
    }),
  };
}

function checkPercent(input: Input, id: string): CheckResult {
  const pct = num(input, 'pct', id);
  const n = num(input, 'n', id);
  const decimals = typeof input.decimals === 'number' ? input.decimals : 1;
  const k = typeof input.k === 'number' ? input.k : null;
  const centre = Math.round((pct * n) / 100);
  const candidates = k !== null ? [k] : [centre - 1, centre, centre + 1];
  const hits = candidates.filter((c) => c >= 0 && c <= n && round((100 * c) / n, decimals) === round(pct, decimals));
  return {
    id,
    kind: 'percent',
    consistent: hits.length > 0,
    recomputed: { nearest: round((100 * (k ?? centre)) / n, decimals) },
    message: both((l) => {
      const share = `${num2(l, pct)}%`;
      if (hits.length) return l === 'nl' ? `${share} is ${hits[0]} van ${n}.` : `${share} is ${hits[0]} of ${n}.`;
      const actual = k !== null ? num2(l, round((100 * k) / n, decimals)) : '';
      return l === 'nl'
        ? `${share} is geen heel aantal van ${n} mensen${k !== null ? ` (${k} van ${n} is ${actual}%)` : ''}: de noemer moet anders zijn.`
        : `${share} is not a whole number of ${n} people${k !== null ? ` (${k} of ${n} is ${actual}%)` : ''}: the denominator must differ.`;
    }),
  };
}

/** Checks a list of reported results: `{ "results": [ { "id", "kind", … } ] }`. */
export function checkResults(doc: unknown): CheckResult[] {
  const list = (doc as { results?: unknown })?.results;
  if (!Array.isArray(list)) throw new SpiegelError('STATS_INPUT_INVALID', 'The input needs a "results" array.');
  return list.map((raw, i) => {
    const input = (raw ?? {}) as Input;
    const id = typeof input.id === 'string' ? input.id : `#${i + 1}`;
    switch (input.kind) {
      case 't-p':
        return checkP(input, id);
      case 'd-summary':
        return checkD(input, id);
      case 'grim':
        return checkGrim(input, id);
      case 'percent':
        return checkPercent(input, id);
      case 'welch-summary':
        return checkT(input, id, 'welch');
      case 'student-summary':
        return checkT(input, id, 'student');
      default:
        throw new SpiegelError(
          'STATS_INPUT_INVALID',
          `Result '${id}': unknown kind ${JSON.stringify(input.kind ?? null)}; use t-p, d-summary, grim, percent, welch-summary or student-summary.`,
        );
    }
  });
}

/** Seed 000's reported results, as a worked example for the checker (tests, demo, CLI docs). */
export const SEED000_REPORTED = {
  source: "'t Lam & Vingerhoets, Tranen van de therapeut (819 Dutch therapists)",
  results: [
    {
      id: 'crying-proneness-vs-norm',
      kind: 'welch-summary',
      m1: 5.3,
      sd1: 2.18,
      n1: 819,
      m2: 2.55,
      sd2: 1.86,
      n2: 1891,
      t: 31.42,
      df: 1352,
    },
    {
      id: 'affective-empathy-vs-norm',
      kind: 'welch-summary',
      m1: 30.44,
      sd1: 3.83,
      n1: 819,
      m2: 29.29,
      sd2: 3.78,
      n2: 5371,
      t: -8.92,
      df: 1154.82,
    },
    {
      id: 'cognitive-empathy-vs-norm',
      kind: 'welch-summary',
      m1: 27.95,
      sd1: 2.87,
      n1: 819,
      m2: 26.24,
      sd2: 2.58,
      n2: 5371,
      t: -16.05,
      df: 1030.75,
    },
    {
      id: 'cbt-vs-client-centred',
      kind: 'student-summary',
      m1: 3.92,
      sd1: 1.01,
      n1: 351,
      m2: 4.32,
      sd2: 1.01,
      n2: 236,
      t: 6.61,
      df: 813,
    },
    {
      id: 'psychotherapists-vs-psychologists',
      kind: 'student-summary',
      m1: 4.37,
      sd1: 1.02,
      n1: 107,
      m2: 3.93,
      sd2: 1.02,
      n2: 315,
      t: 7.45,
      df: 814,
    },
    {
      id: 'attitude-by-gender',
      kind: 'student-summary',
      m1: 4.33,
      sd1: 1.02,
      n1: 204,
      m2: 4.08,
      sd2: 1.04,
      n2: 615,
      t: 2.98,
      df: 817,
    },
    {
      id: 'crying-proneness-d',
      kind: 'd-summary',
      m1: 5.3,
      sd1: 2.18,
      n1: 819,
      m2: 2.55,
      sd2: 1.86,
      n2: 1891,
      d: 1.71,
      test: 'welch',
    },
    { id: 'crying-proneness-p', kind: 't-p', t: 31.42, df: 1352, p: 0.001, pOperator: '<' },
    { id: 'table1-moved-men', kind: 'percent', pct: 94.5, n: 18, k: 17 },
    { id: 'attitude-mean-grim', kind: 'grim', mean: 4.14, n: 819, items: 14 },
  ],
};
