import { describe, expect, it } from 'vitest';
import { agreement, overlapRatio, passages } from './agreement.ts';
import type { QualCode, QualSegment } from './types.ts';

const code = (id: string, order: number): QualCode => ({
  id,
  label: id,
  name: id,
  parentId: null,
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  colour: '#888888',
  order,
  equivalentTo: null,
});
const codes = [code('1A', 1), code('1B', 2)];
let n = 0;
const seg = (documentId: string, codeId: string, coderId: string, start: number, end: number): QualSegment => ({
  id: `s${n++}`,
  documentId,
  codeId,
  coderId,
  start,
  end,
});

describe('agreement units', () => {
  const documents = [
    { id: 'd1', length: 100 },
    { id: 'd2', length: 100 },
  ];
  const segments = [
    seg('d1', '1A', 'x', 0, 10),
    seg('d1', '1A', 'y', 2, 10),
    seg('d1', '1B', 'x', 50, 60),
    seg('d2', '1A', 'y', 20, 30),
    seg('d2', '1B', 'x', 20, 30),
    seg('d2', '1B', 'y', 70, 80),
  ];

  it('character unit, uncoded text excluded: hand-worked 2×2 tables per code', () => {
    const r = agreement({
      codes,
      documents,
      segments,
      coders: ['x', 'y'],
      unit: { kind: 'character', excludeUncoded: true },
    });
    // Coded characters: d1 0–10, 50–60; d2 20–30, 70–80 → 40 units.
    // 1A: x=1,y=1 on 2–10 (8); x=1,y=0 on 0–2 (2); x=0,y=1 on d2 20–30 (10); 0,0 on 20 → po = 28/40.
    const a = r.perCode[0]!;
    expect(a.units).toBe(40);
    expect(a.percent).toBeCloseTo(28 / 40, 12);
    // marginals x: 10 yes, 30 no; y: 18 yes, 22 no → pe = (10·18 + 30·22)/1600
    const pe = (10 * 18 + 30 * 22) / 1600;
    expect(a.kappa).toBeCloseTo((28 / 40 - pe) / (1 - pe), 12);
  });

  it('character unit with uncoded text counts every character (agreement on absence inflates po)', () => {
    const r = agreement({
      codes,
      documents,
      segments,
      coders: ['x', 'y'],
      unit: { kind: 'character', excludeUncoded: false },
    });
    expect(r.perCode[0]!.units).toBe(200);
    expect(r.perCode[0]!.percent).toBeCloseTo(188 / 200, 12);
  });

  it('presence unit: one unit per document and code', () => {
    const r = agreement({ codes, documents, segments, coders: ['x', 'y'], unit: { kind: 'presence' } });
    // 1A: d1 1/1, d2 0/1 → 50%. 1B: d1 1/0, d2 1/1 → 50%.
    expect(r.perCode.map((c) => c.percent)).toEqual([0.5, 0.5]);
    expect(r.pooled.percent).toBe(0.5);
  });

  it('segment unit: overlapping passages by threshold', () => {
    expect(overlapRatio({ start: 0, end: 10 }, { start: 2, end: 10 })).toBeCloseTo(0.8, 12);
    expect(
      passages(
        segments.filter((s) => s.documentId === 'd1'),
        0.5,
      ),
    ).toHaveLength(2);
    expect(
      passages(
        segments.filter((s) => s.documentId === 'd1'),
        0.9,
      ),
    ).toHaveLength(3);
    const r = agreement({ codes, documents, segments, coders: ['x', 'y'], unit: { kind: 'segment', threshold: 0.5 } });
    // passages: d1 [0–10 x,y 1A], [50–60 x 1B]; d2 [20–30 y 1A, x 1B], [70–80 y 1B] → 4 units.
    // 1A: 11, 00, 01, 00 → 3/4; 1B: 00, 10, 10, 01 → 1/4
    expect(r.perCode.map((c) => c.percent)).toEqual([0.75, 0.25]);
  });

  it('restricts to a sub-corpus and treats a coder without segments in a document as missing', () => {
    const r = agreement({
      codes,
      documents,
      segments,
      coders: ['x', 'y'],
      unit: { kind: 'presence' },
      subCorpus: { documentIds: ['d1'], codeIds: ['1A'] },
    });
    expect(r.perCode).toHaveLength(1);
    expect(r.perCode[0]!.percent).toBe(1);
    const three = agreement({ codes, documents, segments, coders: ['x', 'y', 'z'], unit: { kind: 'presence' } });
    expect(three.pooled.kappa).toBeNull(); // κ is a two-coder statistic
    expect(three.perCode[0]!.units).toBe(2); // z coded nothing: missing, not "absent"
  });

  it('rejects one coder and a bad threshold', () => {
    expect(() => agreement({ codes, documents, segments, coders: ['x'], unit: { kind: 'presence' } })).toThrow(
      /two coders/,
    );
    expect(() =>
      agreement({ codes, documents, segments, coders: ['x', 'y'], unit: { kind: 'segment', threshold: 0 } }),
    ).toThrow(/threshold/);
  });
});
