/**
 * Analyses on a study dataset, all computed by the statistics core (domain/stats). This layer picks
 * the valid values (user-missing codes left out, valid N reported per cell), names every effect size
 * with its formula, and writes the APA sentence in Dutch and English.
 */
import {
  apaChiSquare,
  apaF,
  apaR,
  apaT,
  cohenD,
  contingencyTest,
  cronbachAlpha,
  dFromT,
  formatNumber,
  gamesHowell,
  hedgesG,
  normComparison,
  oneWayAnova,
  pairedT,
  oneSampleT,
  pearsonCorrelation,
  spearmanCorrelation,
  studentFromSummary,
  summarize,
  tukeyHSD,
  welchFromSummary,
  type GroupSummary,
  type PairwiseComparison,
} from '../stats/index.ts';
import { SpiegelError } from '../errors.ts';
import { isStatError } from '../stats/parts.ts';
import { columnOf, type Dataset } from './dataset.ts';
import { suppressSmallCells, type Cell } from './suppress.ts';
import type { Survey } from './survey.ts';

export type Lang = 'nl' | 'en';

export interface EffectSize {
  name: string;
  value: number;
  /** The formula, spelled out, so a reader knows which d this is. */
  formula: string;
}

export interface TestReport {
  test: string;
  apa: { nl: string; en: string };
  effects: EffectSize[];
  groups?: { label: string; n: number; mean: number; sd: number }[];
  details?: Record<string, unknown>;
}

const labelOf = (dataset: Dataset, name: string, value: number): string =>
  columnOf(dataset, name).variable.valueLabels.find((l) => l.value === value)?.label ?? String(value);

/** Frequencies of one variable: n and % of the valid N per value; missing codes counted apart. */
export function frequencies(dataset: Dataset, name: string) {
  const col = dataset.variables.findIndex((v) => v.name === name);
  if (col < 0) throw new SpiegelError('STATS_INPUT_INVALID', `Unknown variable '${name}'.`);
  const variable = dataset.variables[col];
  const counts = new Map<number, number>();
  const missing = new Map<string, number>();
  for (const row of dataset.rows) {
    const v = row[col];
    if (typeof v !== 'number') missing.set('system', (missing.get('system') ?? 0) + 1);
    else if (variable.missing.includes(v)) missing.set(String(v), (missing.get(String(v)) ?? 0) + 1);
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const validN = [...counts.values()].reduce((s, n) => s + n, 0);
  const values = [...counts.keys()].sort((a, b) => a - b);
  return {
    variable: name,
    label: variable.label,
    validN,
    rows: values.map((value) => ({
      value,
      label: labelOf(dataset, name, value),
      n: counts.get(value)!,
      pct: (100 * counts.get(value)!) / validN,
    })),
    missing: [...missing.entries()].map(([code, n]) => ({ code, n })),
  };
}

/**
 * The published table layout (seed 000, Tables 1–3): per item, N and % answering `value` in each group
 * (Man / Vrouw) and in total, each % over that cell's valid N. Crossed by a quasi-identifier, cells
 * under 5 are suppressed with secondary suppression.
 */
export function groupTable(
  dataset: Dataset,
  items: readonly string[],
  group: string,
  value: number,
  options: { minCell?: number } = {},
) {
  const g = columnOf(dataset, group);
  const groups = [...new Set(g.values.filter((v): v is number => v !== null))].sort((a, b) => a - b);
  const rows = items.map((item) => {
    const x = columnOf(dataset, item);
    const cell = (keep: (i: number) => boolean): Cell => {
      let n = 0;
      let valid = 0;
      x.values.forEach((v, i) => {
        if (v === null || !keep(i)) return;
        valid++;
        if (v === value) n++;
      });
      return { n, valid, pct: valid > 0 ? (100 * n) / valid : null, suppressed: false };
    };
    return {
      item,
      label: x.variable.label,
      cells: groups.map((gv) => cell((i) => g.values[i] === gv)),
      total: cell((i) => g.values[i] !== null),
    };
  });
  const protect = g.variable.quasiIdentifier || x_isQuasi(dataset, items);
  if (protect) for (const row of rows) suppressSmallCells(row.cells, row.total, options.minCell ?? 5);
  return {
    group,
    groups: groups.map((v) => ({ value: v, label: labelOf(dataset, group, v) })),
    rows,
    protected: protect,
  };
}

function x_isQuasi(dataset: Dataset, items: readonly string[]): boolean {
  return items.some((i) => columnOf(dataset, i).variable.quasiIdentifier);
}

function pairs(dataset: Dataset, y: string, group: string) {
  const ys = columnOf(dataset, y).values;
  const gs = columnOf(dataset, group).values;
  const out: { y: number; g: number }[] = [];
  ys.forEach((v, i) => {
    if (v !== null && gs[i] !== null) out.push({ y: v, g: gs[i]! });
  });
  return out;
}

const fmt = (x: number, lang: Lang, d = 2) => formatNumber(x, d, lang);

/** Student's or Welch's t of `y` between two values of `group`; effect sizes with their formulas. */
export function twoGroupT(
  dataset: Dataset,
  y: string,
  group: string,
  a: number,
  b: number,
  method: 'welch' | 'student',
): TestReport {
  const ys = columnOf(dataset, y).values;
  const gs = columnOf(dataset, group).values;
  const ga: number[] = [];
  const gb: number[] = [];
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i];
    if (v === null) continue;
    if (gs[i] === a) ga.push(v);
    else if (gs[i] === b) gb.push(v);
  }
  const sa: GroupSummary = summarize(ga);
  const sb: GroupSummary = summarize(gb);
  const r = method === 'welch' ? welchFromSummary(sa, sb) : studentFromSummary(sa, sb);
  const d = cohenD(sa, sb);
  const effects: EffectSize[] = [
    { name: 'd (pooled SD)', value: d, formula: 'd = (M1 − M2) / √(((n1−1)s1² + (n2−1)s2²)/(n1+n2−2))' },
    { name: "Hedges' g", value: hedgesG(d, sa.n + sb.n - 2), formula: 'g = d · (1 − 3/(4(n1+n2−2) − 1))' },
    { name: 'd from t (approximation)', value: dFromT(r.t, r.df), formula: 'd ≈ 2t/√df' },
  ];
  const apa = (lang: Lang) =>
    `${apaT({ t: r.t, df: r.df, p: r.p }, lang)}, d = ${fmt(d, lang)} (${lang === 'nl' ? 'gepoolde SD' : 'pooled SD'})`;
  return {
    test: method === 'welch' ? 'Welch t-test' : 'Student t-test',
    apa: { nl: apa('nl'), en: apa('en') },
    effects,
    groups: [
      { label: labelOf(dataset, group, a), ...sa },
      { label: labelOf(dataset, group, b), ...sb },
    ],
    details: { t: r.t, df: r.df, p: r.p, meanDifference: r.estimate, ci: r.ci },
  };
}

/** Paired t of two variables (complete pairs); d_z = mean difference / SD of the differences. */
export function pairedTest(dataset: Dataset, x: string, y: string): TestReport {
  const xs = columnOf(dataset, x).values;
  const ys = columnOf(dataset, y).values;
  const keep = xs.map((v, i) => v !== null && ys[i] !== null);
  const r = pairedT(xs.filter((_, i) => keep[i]) as number[], ys.filter((_, i) => keep[i]) as number[]);
  const apa = (lang: Lang) => `${apaT({ t: r.t, df: r.df, p: r.p }, lang)}, d_z = ${fmt(r.dz, lang)}`;
  return {
    test: 'paired t-test',
    apa: { nl: apa('nl'), en: apa('en') },
    effects: [{ name: 'd_z', value: r.dz, formula: 'd_z = M(diff) / SD(diff)' }],
    details: { t: r.t, df: r.df, p: r.p, n: r.n },
  };
}

export function oneSampleTest(dataset: Dataset, y: string, mu: number): TestReport {
  const r = oneSampleT(
    columnOf(dataset, y).values.filter((v): v is number => v !== null),
    mu,
  );
  const apa = (lang: Lang) => `${apaT({ t: r.t, df: r.df, p: r.p }, lang)}, d = ${fmt(r.d, lang)}`;
  return {
    test: 'one-sample t-test',
    apa: { nl: apa('nl'), en: apa('en') },
    effects: [{ name: 'd (one sample)', value: r.d, formula: 'd = (M − μ0) / SD' }],
    details: { t: r.t, df: r.df, p: r.p, mean: r.mean, sd: r.sd, n: r.n },
  };
}

/** The study's valid values of `y` against a published norm (Welch from summary statistics). */
export function normTest(dataset: Dataset, y: string, norm: GroupSummary): TestReport {
  const s = summarize(columnOf(dataset, y).values.filter((v): v is number => v !== null));
  const c = normComparison(s, norm);
  const apa = (lang: Lang) =>
    `${apaT({ t: c.welch.t, df: c.welch.df, p: c.welch.p }, lang)}, d = ${fmt(c.cohenD, lang)} (${lang === 'nl' ? 'gepoolde SD' : 'pooled SD'}); ${lang === 'nl' ? 'd uit t' : 'd from t'} = ${fmt(c.dFromT, lang)}`;
  return {
    test: 'Welch t-test against a norm',
    apa: { nl: apa('nl'), en: apa('en') },
    effects: [
      { name: 'd (pooled SD)', value: c.cohenD, formula: 'd = (M − M_norm) / s_pooled' },
      { name: "Hedges' g", value: c.hedgesG, formula: 'g = d · (1 − 3/(4(n1+n2−2) − 1))' },
      { name: 'd from t (approximation)', value: c.dFromT, formula: 'd ≈ 2t/√df' },
    ],
    groups: [
      { label: y, ...s },
      { label: 'norm', ...norm },
    ],
    details: { t: c.welch.t, df: c.welch.df, p: c.welch.p },
  };
}

export function anovaTest(dataset: Dataset, y: string, group: string): TestReport {
  const data = pairs(dataset, y, group);
  const labels = new Map(columnOf(dataset, group).variable.valueLabels.map((l) => [l.value, l.label]));
  const r = oneWayAnova(
    data.map((p) => labels.get(p.g) ?? String(p.g)),
    data.map((p) => p.y),
  );
  const apa = (lang: Lang) =>
    `${apaF({ ...r.classic, etaSquared: r.classic.etaSquared }, lang)}; Welch: ${isStatError(r.welch) ? r.welch.error.message : apaF(r.welch, lang)}`;
  return {
    test: 'one-way ANOVA',
    apa: { nl: apa('nl'), en: apa('en') },
    effects: [{ name: 'η²', value: r.classic.etaSquared, formula: 'η² = SS_between / SS_total' }],
    groups: r.groups,
    details: { classic: r.classic, welch: r.welch },
  };
}

/**
 * Post-hoc pairwise comparisons of `y` between the groups of `group` (ordered by their codes, as R orders
 * a factor of codes): Tukey HSD (pooled variance) or Games-Howell (unequal variances). p is adjusted.
 */
export function postHocTest(dataset: Dataset, y: string, group: string, method: 'tukey' | 'games-howell') {
  const data = pairs(dataset, y, group);
  const codes = [...new Set(data.map((p) => p.g))].sort((a, b) => a - b);
  const labels = data.map((p) => labelOf(dataset, group, p.g));
  const order = codes.map((c) => labelOf(dataset, group, c));
  const ys = data.map((p) => p.y);
  const r = method === 'tukey' ? tukeyHSD(labels, ys, { order }) : gamesHowell(labels, ys, { order });
  const line = (c: PairwiseComparison, lang: Lang) =>
    `${c.b} − ${c.a}: ${fmt(c.diff, lang)} [${fmt(c.lwr, lang)}; ${fmt(c.upr, lang)}], p${c.p < 0.001 ? ' < ' + formatNumber(0.001, 3, lang, { leadingZero: false }) : ' = ' + formatNumber(c.p, 3, lang, { leadingZero: false })}`;
  const apa = (lang: Lang) =>
    `${r.method} (${lang === 'nl' ? '95%-BI, gecorrigeerde p' : '95% CI, adjusted p'}): ${r.comparisons.map((c) => line(c, lang)).join('; ')}`;
  return { ...r, apa: { nl: apa('nl'), en: apa('en') } };
}

export function chiSquareTest(dataset: Dataset, a: string, b: string): TestReport {
  const xa = columnOf(dataset, a).values;
  const xb = columnOf(dataset, b).values;
  const ra = [...new Set(xa.filter((v): v is number => v !== null))].sort((p, q) => p - q);
  const rb = [...new Set(xb.filter((v): v is number => v !== null))].sort((p, q) => p - q);
  const table = ra.map(() => rb.map(() => 0));
  xa.forEach((v, i) => {
    if (v !== null && xb[i] !== null) table[ra.indexOf(v)][rb.indexOf(xb[i]!)]++;
  });
  const r = contingencyTest(table);
  const v = Math.sqrt(r.pearson.chisq / (r.n * (Math.min(ra.length, rb.length) - 1)));
  const apa = (lang: Lang) =>
    `${apaChiSquare({ ...r.pearson, n: r.n }, lang)}, V = ${formatNumber(v, 2, lang, { leadingZero: false })}${r.fisher && !isStatError(r.fisher) ? `; Fisher ${lang === 'nl' ? 'exact' : 'exact'} p = ${formatNumber(r.fisher.p, 3, lang, { leadingZero: false })}` : ''}`;
  return {
    test: 'χ² test',
    apa: { nl: apa('nl'), en: apa('en') },
    effects: [{ name: "Cramér's V", value: v, formula: 'V = √(χ² / (N · (min(r, c) − 1)))' }],
    details: { table, rows: ra, columns: rb, pearson: r.pearson, fisher: r.fisher ?? null },
  };
}

export function correlationTest(dataset: Dataset, x: string, y: string): TestReport {
  const xs = columnOf(dataset, x).values;
  const ys = columnOf(dataset, y).values;
  const keep = xs.map((v, i) => v !== null && ys[i] !== null);
  const a = xs.filter((_, i) => keep[i]) as number[];
  const b = ys.filter((_, i) => keep[i]) as number[];
  const p = pearsonCorrelation(a, b);
  const s = spearmanCorrelation(a, b);
  const apa = (lang: Lang) =>
    `${apaR({ r: p.r, df: p.df, p: p.p }, lang)}; ${apaR({ r: s.rho, df: s.df, p: s.pAsymptoticT }, lang, 'rs')}`;
  return {
    test: 'correlation',
    apa: { nl: apa('nl'), en: apa('en') },
    effects: [
      { name: 'r (Pearson)', value: p.r, formula: 'r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²)' },
      { name: 'ρ (Spearman)', value: s.rho, formula: 'Pearson r of the average ranks' },
    ],
    details: { n: p.n },
  };
}

/** Cronbach's α of a scale on its (reverse-scored) items, complete cases. */
export function scaleAlpha(dataset: Dataset, survey: Survey, scaleId: string) {
  const scale = survey.scales.find((s) => s.id === scaleId);
  if (!scale) throw new SpiegelError('STATS_INPUT_INVALID', `Unknown scale '${scaleId}'.`);
  const cols = scale.items.map((name) => columnOf(dataset, scale.reverse.includes(name) ? `${name}_r` : name).values);
  const rows: number[][] = [];
  for (let i = 0; i < dataset.rows.length; i++) {
    const row = cols.map((c) => c[i]);
    if (row.every((v) => v !== null)) rows.push(row as number[]);
  }
  return { scale: scaleId, items: scale.items, ...cronbachAlpha(rows) };
}

/** Holm's step-down and Benjamini–Hochberg adjusted p-values (as R's p.adjust). */
export function adjustP(p: readonly number[], method: 'holm' | 'BH'): number[] {
  const n = p.length;
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
  const out = new Array<number>(n);
  if (method === 'holm') {
    let running = 0;
    order.forEach((idx, k) => {
      running = Math.max(running, Math.min(1, (n - k) * p[idx]));
      out[idx] = running;
    });
  } else {
    let running = 1;
    for (let k = n - 1; k >= 0; k--) {
      const idx = order[k];
      running = Math.min(running, Math.min(1, (n / (k + 1)) * p[idx]));
      out[idx] = running;
    }
  }
  return out;
}
