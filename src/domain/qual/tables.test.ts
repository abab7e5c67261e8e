import { describe, expect, it } from 'vitest';
import { codeDocumentCsv, presenceCsv, presenceSps } from './exports.ts';
import { parseCsv } from './csv.ts';
import { parseQuery, retrieve } from './retrieval.ts';
import { codeAttributeMatrix, codeDocumentTable, coOccurrence, presenceMatrix, saturation } from './tables.ts';
import type { QualCode, QualDocument, QualSegment } from './types.ts';

const code = (label: string, name: string, order: number): QualCode => ({
  id: `c${label}`,
  label,
  name,
  parentId: null,
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  colour: '#888888',
  order,
  equivalentTo: null,
});
const codes = [
  code('1B', 'Interesse in de mensheid', 2),
  code('1A', 'Zorgzame, empathische aanleg', 1),
  code('1C', 'C', 3),
];
const doc = (id: string, profession: string): QualDocument => ({
  id,
  caseLabel: id.toUpperCase(),
  text: '',
  attributes: { profession },
});
const documents = [doc('p01', 'klinisch psycholoog'), doc('p02', 'psychotherapeut'), doc('p03', 'psychotherapeut')];
let n = 0;
const s = (documentId: string, label: string, start: number, end: number): QualSegment => ({
  id: `s${n++}`,
  documentId,
  codeId: `c${label}`,
  coderId: 'consensus',
  start,
  end,
});
const segments = [
  s('p01', '1A', 0, 10),
  s('p01', '1A', 20, 30),
  s('p01', '1B', 5, 25),
  s('p02', '1B', 0, 5),
  s('p03', '1C', 0, 5),
];

describe('code × document table', () => {
  it('counts segments (frequency) and cases (n) in the codebook order, and exports seed 004’s layout', () => {
    const rows = codeDocumentTable(codes, documents, segments);
    expect(rows.map((r) => [r.label, r.frequency, r.n, r.perDocument])).toEqual([
      ['1A', 2, 1, [2, 0, 0]],
      ['1B', 2, 2, [1, 1, 0]],
      ['1C', 1, 1, [0, 0, 1]],
    ]);
    const csv = parseCsv(codeDocumentCsv(rows, 'nl'));
    expect(csv[0]).toEqual(['Thema', 'Frequentie', 'Aantal deelnemers']);
    expect(csv[1]).toEqual(['1A. Zorgzame, empathische aanleg', '2', '1']);
  });

  it('restricts to a sub-corpus', () => {
    const rows = codeDocumentTable(codes, documents, segments, { documentIds: ['p02', 'p03'], codeIds: ['c1B'] });
    expect(rows).toEqual([
      { codeId: 'c1B', label: '1B', name: 'Interesse in de mensheid', frequency: 1, n: 1, perDocument: [1, 0] },
    ]);
  });
});

describe('co-occurrence, attributes, saturation, presence', () => {
  it('counts overlapping segment pairs and the c-coefficient', () => {
    // 1B (5–25) overlaps both 1A segments: count 2; c = 2 / (2 + 2 − 2) = 1
    expect(coOccurrence(codes, segments)).toEqual([{ a: 'c1A', b: 'c1B', count: 2, jaccard: 1 }]);
  });

  it('tabulates codes by a case attribute', () => {
    const m = codeAttributeMatrix(codes, documents, segments, 'profession');
    expect(m.values).toEqual(['klinisch psycholoog', 'psychotherapeut']);
    expect(m.rows.find((r) => r.label === '1B')!.cases).toEqual([1, 1]);
    expect(m.rows[0]!.totals).toEqual([1, 2]);
  });

  it('counts new codes per interview', () => {
    expect(saturation(documents, segments).map((x) => [x.newCodes, x.cumulative])).toEqual([
      [2, 2],
      [0, 2],
      [1, 3],
    ]);
  });

  it('writes 0/1 presence for R and SPSS syntax that reads it', () => {
    expect(presenceMatrix(codes, documents, segments).rows.map((r) => r.values)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(parseCsv(presenceCsv(codes, documents, segments))[0]).toEqual(['case', 'code_1A', 'code_1B', 'code_1C']);
    expect(presenceSps(codes, 'presence.csv')).toContain(
      "VALUE LABELS code_1A code_1B code_1C 0 'absent' 1 'present'.",
    );
  });
});

describe('AND/OR/NOT retrieval', () => {
  const ids = documents.map((d) => d.id);
  it('parses precedence and finds the cases', () => {
    expect(parseQuery('1A OR 1B AND NOT 1C')).toEqual({
      op: 'or',
      args: [
        { op: 'code', label: '1A' },
        {
          op: 'and',
          args: [
            { op: 'code', label: '1B' },
            { op: 'not', arg: { op: 'code', label: '1C' } },
          ],
        },
      ],
    });
    expect(retrieve(parseQuery('1B AND NOT 1A'), codes, ids, segments).documentIds).toEqual(['p02']);
    expect(retrieve(parseQuery('(1A OR 1C)'), codes, ids, segments).documentIds).toEqual(['p01', 'p03']);
    expect(retrieve(parseQuery('NOT 1A'), codes, ids, segments).segments).toEqual([]);
  });
  it('rejects broken queries and unknown codes with a clear error', () => {
    expect(() => parseQuery('1A AND')).toThrow(/ends too early/);
    expect(() => parseQuery('(1A')).toThrow(/closing parenthesis/);
    expect(() => retrieve(parseQuery('9Z'), codes, ids, segments)).toThrow(/unknown code: 9Z/);
  });
});
