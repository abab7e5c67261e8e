import { describe, expect, it } from 'vitest';
import { agreement } from './agreement.ts';
import { DEMO_LABEL, demoProject, intendedCounts } from './demo.ts';
import { codeDocumentTable } from './tables.ts';
import { CONSENSUS } from './types.ts';

describe('demo project (seed 004, synthetic)', () => {
  const p = demoProject();
  const themes = p.codes.filter((c) => c.parentId !== null);

  it('labels every transcript as synthetic', () => {
    expect(p.documents).toHaveLength(15);
    for (const d of p.documents) expect(d.text.startsWith(DEMO_LABEL)).toBe(true);
  });

  it('has a consensus code × document table equal to what the generator intended (seed 004’s Tables 1 and 2)', () => {
    const rows = codeDocumentTable(
      themes,
      p.documents,
      p.segments.filter((s) => s.coderId === CONSENSUS),
    );
    const intended = intendedCounts();
    expect(rows.map((r) => [r.label, r.perDocument])).toEqual(intended.map((i) => [i.label, i.perCase]));
    expect(rows.slice(0, 10).reduce((a, r) => a + r.frequency, 0)).toBe(589);
    expect(rows.slice(10).reduce((a, r) => a + r.frequency, 0)).toBe(233);
    expect(rows.find((r) => r.label === '1A')).toMatchObject({ frequency: 37, n: 10 });
    expect(rows.find((r) => r.label === '2G')).toMatchObject({ frequency: 32, n: 8 });
  });

  it('has two coders who agree well but not perfectly', () => {
    const r = agreement({
      codes: themes,
      documents: p.documents.map((d) => ({ id: d.id, length: d.text.length })),
      segments: p.segments.filter((s) => s.coderId !== CONSENSUS),
      coders: p.coders.map((c) => c.id),
      unit: { kind: 'segment', threshold: 0.5 },
    });
    expect(r.pooled.kappa!).toBeGreaterThan(0.6);
    expect(r.pooled.kappa!).toBeLessThan(0.95);
  });
});
