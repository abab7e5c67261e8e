/**
 * One analysis as a result table (for .xlsx and .docx): the same choices as the analysis page, the
 * numbers unrounded (a spreadsheet keeps them numeric), the APA sentence and every effect size with its
 * formula as notes. Small cells stay suppressed exactly as on the page.
 */
import { SpiegelError } from '../errors.ts';
import {
  anovaTest,
  chiSquareTest,
  correlationTest,
  frequencies,
  groupTable,
  normTest,
  postHocTest,
  twoGroupT,
  type Lang,
  type TestReport,
} from './analyses.ts';
import type { Dataset } from './dataset.ts';
import type { ResultTable } from './ooxml.ts';

export interface AnalysisQuery {
  test: string;
  y: string;
  group: string;
  norm?: { mean: number; sd: number; n: number };
}

const L = {
  group: { nl: 'Groep', en: 'Group' },
  effect: { nl: 'Effectgrootte', en: 'Effect size' },
  value: { nl: 'Waarde', en: 'Value' },
  formula: { nl: 'Formule', en: 'Formula' },
  pair: { nl: 'Paar', en: 'Pair' },
  diff: { nl: 'Verschil', en: 'Difference' },
  lower: { nl: '95%-BI onder', en: '95% CI lower' },
  upper: { nl: '95%-BI boven', en: '95% CI upper' },
  padj: { nl: 'Gecorrigeerde p', en: 'Adjusted p' },
  code: { nl: 'Code', en: 'Code' },
  label: { nl: 'Label', en: 'Label' },
  validN: { nl: 'geldige N', en: 'valid N' },
  missing: { nl: 'Ontbrekend', en: 'Missing' },
  total: { nl: 'Totaal', en: 'Total' },
  suppressed: { nl: '· = minder dan 5 (onderdrukt)', en: '· = fewer than 5 (suppressed)' },
} as const;

function reportTable(r: TestReport, lang: Lang): ResultTable {
  const effects = r.effects.map((e) => `${e.name} = ${e.value}; ${e.formula}`);
  if (r.groups)
    return {
      title: r.test,
      header: [L.group[lang], 'n', 'M', 'SD'],
      rows: r.groups.map((g) => [g.label, g.n, g.mean, g.sd]),
      notes: [r.apa[lang], ...effects],
    };
  return {
    title: r.test,
    header: [L.effect[lang], L.value[lang], L.formula[lang]],
    rows: r.effects.map((e) => [e.name, e.value, e.formula]),
    notes: [r.apa[lang]],
  };
}

function levels(data: Dataset, group: string): number[] {
  const values = groupTable(data, [group], group, 0).groups.map((g) => g.value);
  if (values.length < 2) throw new SpiegelError('INSUFFICIENT_DATA', `'${group}' has fewer than two groups.`);
  return values;
}

export function analysisTable(data: Dataset, q: AnalysisQuery, lang: Lang): ResultTable {
  const { test, y, group } = q;
  if (test === 'welch' || test === 'student') {
    const [a, b] = levels(data, group);
    return reportTable(twoGroupT(data, y, group, a, b, test), lang);
  }
  if (test === 'anova') return reportTable(anovaTest(data, y, group), lang);
  if (test === 'chisq') return reportTable(chiSquareTest(data, y, group), lang);
  if (test === 'pearson') return reportTable(correlationTest(data, y, group), lang);
  if (test === 'norm') {
    if (!q.norm) throw new SpiegelError('STATS_INPUT_INVALID', 'A norm needs its mean, SD and N.');
    return reportTable(normTest(data, y, q.norm), lang);
  }
  if (test === 'tukey' || test === 'games-howell') {
    const r = postHocTest(data, y, group, test);
    return {
      title: r.method,
      header: [L.pair[lang], L.diff[lang], L.lower[lang], L.upper[lang], L.padj[lang]],
      rows: r.comparisons.map((c) => [`${c.b} − ${c.a}`, c.diff, c.lwr, c.upr, c.p]),
      notes: [r.apa[lang]],
    };
  }
  if (test === 'table') {
    const tb = groupTable(data, [y], group, 1);
    const cells = (c: { n: number; pct: number | null; suppressed: boolean }): (string | number | null)[] =>
      c.suppressed ? ['·', '·'] : [c.n, c.pct];
    return {
      title: `${y} × ${group}`,
      header: [
        '',
        ...tb.groups.flatMap((g) => [`${g.label} N`, `${g.label} %`]),
        `${L.total[lang]} N`,
        `${L.total[lang]} %`,
      ],
      rows: tb.rows.map((r) => [r.label, ...r.cells.flatMap(cells), ...cells(r.total)]),
      notes: tb.protected ? [L.suppressed[lang]] : [],
    };
  }
  const f = frequencies(data, y);
  return {
    title: `${f.label} (${L.validN[lang]} = ${f.validN})`,
    header: [L.code[lang], L.label[lang], 'n', '%'],
    rows: f.rows.map((r) => [r.value, r.label, r.n, r.pct]),
    notes: f.missing.map((m) => `${L.missing[lang]} ${m.code}: ${m.n}`),
  };
}
