import {
  inSubCorpus,
  orderedCodes,
  type QualCode,
  type QualDocument,
  type QualSegment,
  type SubCorpus,
} from './types.ts';
import { overlapRatio } from './agreement.ts';

/**
 * The analysis views of one layer (a coder's, or the consensus layer): the code × document table of
 * seed 004 (frequency = segments, n = cases with at least one segment), co-occurrence, code ×
 * attribute, the saturation curve, and 0/1 code presence per case.
 */

export interface CodeDocumentRow {
  codeId: string;
  label: string;
  name: string;
  /** Segments of this code (seed 004's "Frequentie": quotations). */
  frequency: number;
  /** Cases with at least one segment ("Aantal deelnemers"). */
  n: number;
  /** Segments per document, in document order. */
  perDocument: number[];
}

export function codeDocumentTable(
  codes: QualCode[],
  documents: Pick<QualDocument, 'id'>[],
  segments: QualSegment[],
  sub: SubCorpus = {},
): CodeDocumentRow[] {
  const docs = sub.documentIds ? documents.filter((d) => sub.documentIds!.includes(d.id)) : documents;
  const docIndex = new Map(docs.map((d, i) => [d.id, i]));
  const rows = new Map<string, number[]>();
  for (const s of inSubCorpus(segments, sub)) {
    const i = docIndex.get(s.documentId);
    if (i === undefined) continue;
    let row = rows.get(s.codeId);
    if (!row) rows.set(s.codeId, (row = new Array<number>(docs.length).fill(0)));
    row[i]!++;
  }
  const chosen = sub.codeIds ? codes.filter((c) => sub.codeIds!.includes(c.id)) : codes;
  return orderedCodes(chosen).map((code) => {
    const perDocument = rows.get(code.id) ?? new Array<number>(docs.length).fill(0);
    return {
      codeId: code.id,
      label: code.label,
      name: code.name,
      frequency: perDocument.reduce((a, b) => a + b, 0),
      n: perDocument.filter((x) => x > 0).length,
      perDocument,
    };
  });
}

export interface CoOccurrence {
  a: string;
  b: string;
  /** Pairs of overlapping segments (same document, same layer). */
  count: number;
  /** ATLAS.ti's c-coefficient: count / (n_a + n_b − count), a Jaccard index on segments. */
  jaccard: number;
}

/** Co-occurrence of every pair of codes whose segments overlap. */
export function coOccurrence(codes: QualCode[], segments: QualSegment[], sub: SubCorpus = {}): CoOccurrence[] {
  const list = inSubCorpus(segments, sub);
  const freq = new Map<string, number>();
  for (const s of list) freq.set(s.codeId, (freq.get(s.codeId) ?? 0) + 1);
  const byDoc = new Map<string, QualSegment[]>();
  for (const s of list) {
    let l = byDoc.get(s.documentId);
    if (!l) byDoc.set(s.documentId, (l = []));
    l.push(s);
  }
  const pairs = new Map<string, number>();
  for (const l of byDoc.values()) {
    l.sort((x, y) => x.start - y.start);
    for (let i = 0; i < l.length; i++) {
      for (let j = i + 1; j < l.length && l[j]!.start < l[i]!.end; j++) {
        const x = l[i]!;
        const y = l[j]!;
        if (x.codeId === y.codeId || overlapRatio(x, y) === 0) continue;
        const key = x.codeId < y.codeId ? `${x.codeId}\u0000${y.codeId}` : `${y.codeId}\u0000${x.codeId}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
    }
  }
  const order = new Map(orderedCodes(codes).map((c, i) => [c.id, i]));
  return [...pairs]
    .map(([key, count]) => {
      const [a, b] = key.split('\u0000') as [string, string];
      const [first, second] = (order.get(a) ?? 0) <= (order.get(b) ?? 0) ? [a, b] : [b, a];
      const union = (freq.get(a) ?? 0) + (freq.get(b) ?? 0) - count;
      return { a: first, b: second, count, jaccard: union > 0 ? count / union : 0 };
    })
    .sort((x, y) => (order.get(x.a) ?? 0) - (order.get(y.a) ?? 0) || (order.get(x.b) ?? 0) - (order.get(y.b) ?? 0));
}

/** Code × attribute: cases with the code, per value of one case attribute (e.g. profession). */
export function codeAttributeMatrix(
  codes: QualCode[],
  documents: QualDocument[],
  segments: QualSegment[],
  attribute: string,
): { values: string[]; rows: { codeId: string; label: string; cases: number[]; totals: number[] }[] } {
  const values = [...new Set(documents.map((d) => d.attributes[attribute] ?? ''))].sort();
  const totals = values.map((v) => documents.filter((d) => (d.attributes[attribute] ?? '') === v).length);
  const present = presenceSets(segments);
  return {
    values,
    rows: orderedCodes(codes).map((code) => ({
      codeId: code.id,
      label: code.label,
      cases: values.map(
        (v) => documents.filter((d) => (d.attributes[attribute] ?? '') === v && present.get(code.id)?.has(d.id)).length,
      ),
      totals,
    })),
  };
}

function presenceSets(segments: QualSegment[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const s of segments) {
    let set = map.get(s.codeId);
    if (!set) map.set(s.codeId, (set = new Set()));
    set.add(s.documentId);
  }
  return map;
}

/** Saturation: codes first seen in each interview (in the given order), and the running total. */
export function saturation(
  documents: Pick<QualDocument, 'id' | 'caseLabel'>[],
  segments: QualSegment[],
): { caseLabel: string; newCodes: number; cumulative: number }[] {
  const seen = new Set<string>();
  const byDoc = new Map<string, Set<string>>();
  for (const s of segments) {
    let set = byDoc.get(s.documentId);
    if (!set) byDoc.set(s.documentId, (set = new Set()));
    set.add(s.codeId);
  }
  return documents.map((d) => {
    let fresh = 0;
    for (const c of byDoc.get(d.id) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      fresh++;
    }
    return { caseLabel: d.caseLabel, newCodes: fresh, cumulative: seen.size };
  });
}

/** 0/1 presence of every code per case (rows = cases), for R and SPSS. */
export function presenceMatrix(
  codes: QualCode[],
  documents: Pick<QualDocument, 'id' | 'caseLabel'>[],
  segments: QualSegment[],
): { columns: string[]; rows: { caseLabel: string; values: (0 | 1)[] }[] } {
  const ordered = orderedCodes(codes);
  const present = presenceSets(segments);
  return {
    columns: ordered.map((c) => c.label),
    rows: documents.map((d) => ({
      caseLabel: d.caseLabel,
      values: ordered.map((c) => (present.get(c.id)?.has(d.id) ? 1 : 0)),
    })),
  };
}
