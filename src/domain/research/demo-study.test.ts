import { describe, expect, it } from 'vitest';
import { buildDataset, type StoredResponse } from './dataset.ts';
import { demoResponses, demoSurvey, MEN, TABLE2, TABLE3, WOMEN } from './demo-study.ts';
import { groupTable, normTest } from './analyses.ts';
import { normComparison } from '../stats/index.ts';
import { checkResults, SEED000_REPORTED } from './check.ts';

// The demo study reproduces seed 000's published figures (Tables 2 and 3, crying proneness vs norm).
const survey = demoSurvey();
const stored: StoredResponse[] = demoResponses().map((r, i) => ({
  id: String(i),
  submittedOn: '2026-01-01',
  channel: 'demo',
  consentVersion: 1,
  durationMs: r.durationMs,
  response: r.response,
}));
const agree = TABLE3.map(([name]) => ({
  kind: 'recode' as const,
  source: name,
  name: `${name}_agree`,
  map: [
    { from: [5, 6, 7], to: 1, label: 'eens' },
    { from: [1, 2, 3, 4], to: 0, label: 'niet eens' },
  ],
}));
const data = buildDataset(survey, stored, agree);
const pct = (k: number, n: number) => ((100 * k) / n).toFixed(1);

describe('demo study (seed 000)', () => {
  it('has 819 respondents: 204 men and 615 women', () => {
    expect(data.rows).toHaveLength(MEN + WOMEN);
  });

  it('reproduces every Table 2 count and percentage by gender (Man / Vrouw / Totaal)', () => {
    const table = groupTable(
      data,
      TABLE2.map(([n]) => n),
      'gender',
      1,
    );
    expect(table.groups.map((g) => g.label)).toEqual(['Man', 'Vrouw']);
    TABLE2.forEach(([, , men, women], i) => {
      const row = table.rows[i];
      expect([row.cells[0].n, row.cells[1].n, row.total.n]).toEqual([men, women, men + women]);
      expect([row.cells[0].pct!.toFixed(1), row.cells[1].pct!.toFixed(1), row.total.pct!.toFixed(1)]).toEqual([
        pct(men, MEN),
        pct(women, WOMEN),
        pct(men + women, MEN + WOMEN),
      ]);
    });
    // The published figures, verbatim, for the first and last rows.
    expect(table.rows[0].cells.map((c) => c.pct!.toFixed(1))).toEqual(['82.8', '80.7']);
    expect(table.rows[8].total.pct!.toFixed(1)).toBe('8.9');
  });

  it('reproduces Table 3 (agree = 5–7 on the 7-point scale) with small cells suppressed by gender', () => {
    const table = groupTable(
      data,
      TABLE3.map(([n]) => `${n}_agree`),
      'gender',
      1,
    );
    TABLE3.forEach(([, , men, women], i) => {
      const row = table.rows[i];
      expect([row.cells[0].n, row.cells[1].n, row.total.n]).toEqual([men, women, men + women]);
      expect(row.total.pct!.toFixed(1)).toBe(pct(men + women, MEN + WOMEN));
    });
    // The article prints 94.2%, but 771 of 819 is 94.1%: its rounding, not ours.
    expect(table.rows[0].total.pct!.toFixed(1)).toBe('94.1');
    expect(table.protected).toBe(true);
    // "Ik laat een cliënt meteen stoppen": 2 men and 2 women: both hidden.
    expect(table.rows[8].cells.map((c) => c.suppressed)).toEqual([true, true]);
    // 4 men, 7 women: the men's cell is hidden and, against differencing, the women's too.
    expect(table.rows[6].cells.map((c) => c.suppressed)).toEqual([true, true]);
    expect(table.rows[0].cells.map((c) => c.suppressed)).toEqual([false, false]);
  });

  it('reproduces crying proneness against the norm: Welch t = 31.48, df 1356.75, d from t 1.71, pooled d 1.40', () => {
    const norm = { mean: 2.55, sd: 1.86, n: 1891 };
    const r = normTest(data, 'proneness', norm);
    const raw = r.details as { t: number; df: number };
    const group = r.groups![0];
    // The data give the published summary: M = 5.30, SD = 2.18, N = 819 …
    expect([group.mean.toFixed(2), group.sd.toFixed(2), group.n]).toEqual(['5.30', '2.18', 819]);
    // … and from the raw data t = 31.48 (df 1356.66: whole-number answers cannot give SD 2.1800 exactly).
    expect(raw.t.toFixed(2)).toBe('31.48');
    expect(Math.abs(raw.df - 1356.75)).toBeLessThan(0.2);
    // From the summary as the article reports it, exactly the anchors.
    const published = normComparison(
      { mean: Number(group.mean.toFixed(2)), sd: Number(group.sd.toFixed(2)), n: group.n },
      norm,
    );
    expect(published.welch.t.toFixed(2)).toBe('31.48');
    expect(published.welch.df.toFixed(2)).toBe('1356.75');
    expect(published.dFromT.toFixed(2)).toBe('1.71');
    expect(published.cohenD.toFixed(2)).toBe('1.40');
    expect(r.effects.find((e) => e.name === 'd from t (approximation)')!.value.toFixed(2)).toBe('1.71');
    expect(r.effects.find((e) => e.name === 'd (pooled SD)')!.value.toFixed(2)).toBe('1.40');
    expect(r.apa.nl).toContain('31,48');
  });

  it('Controleer flags the affective-empathy result and the two t-values that do not fit their means', () => {
    const results = checkResults(SEED000_REPORTED);
    const bad = results.filter((r) => r.consistent === false).map((r) => r.id);
    expect(bad).toContain('affective-empathy-vs-norm');
    expect(bad).toContain('cbt-vs-client-centred');
    expect(bad).toContain('psychotherapists-vs-psychologists');
    expect(results.find((r) => r.id === 'affective-empathy-vs-norm')!.message.en).toContain('8.02');
    expect(results.find((r) => r.id === 'crying-proneness-vs-norm')!.consistent).toBe(true);
    expect(results.find((r) => r.id === 'crying-proneness-d')!.message.en).toContain('2t/√df');
  });
});
