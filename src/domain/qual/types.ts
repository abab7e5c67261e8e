/**
 * The qualitative-coding model (issue 20): a project holds cases (pseudonymous participants, P01…),
 * one transcript document per case, a hierarchical codebook, and coded segments. Each segment belongs
 * to one layer: a coder's own (blind until unblinded) or the consensus layer. Offsets are UTF-16 code
 * unit positions into the document's text, [start, end) — the same positions the browser's selection
 * gives and REFI-QDA's PlainTextSelection uses (characters of the plain text).
 */

export interface QualCode {
  id: string;
  /** The short label researchers cite, such as "1A". */
  label: string;
  name: string;
  parentId: string | null;
  definition: string;
  inclusion: string;
  exclusion: string;
  example: string;
  /** #rrggbb */
  colour: string;
  /** Custom order (life course): lower first. */
  order: number;
  /** "Equivalent to" (2A ≙ 1A): the id of the code this one equals, or null. */
  equivalentTo: string | null;
}

export interface QualDocument {
  id: string;
  /** The pseudonymous case label, P01… */
  caseLabel: string;
  text: string;
  attributes: Record<string, string>;
}

/** The consensus layer's coder id. */
export const CONSENSUS = 'consensus';

export interface QualSegment {
  id: string;
  documentId: string;
  codeId: string;
  /** A coder's user id, or CONSENSUS. */
  coderId: string;
  start: number;
  end: number;
}

/** A sub-corpus: restrict to these documents and/or codes (undefined = all). */
export interface SubCorpus {
  documentIds?: string[];
  codeIds?: string[];
}

export function inSubCorpus<T extends { documentId: string; codeId: string }>(items: T[], sub: SubCorpus = {}): T[] {
  const docs = sub.documentIds ? new Set(sub.documentIds) : null;
  const codes = sub.codeIds ? new Set(sub.codeIds) : null;
  return items.filter((s) => (!docs || docs.has(s.documentId)) && (!codes || codes.has(s.codeId)));
}

/** Codes in the codebook's custom order (order, then label). */
export function orderedCodes(codes: QualCode[]): QualCode[] {
  return [...codes].sort((a, b) => a.order - b.order || a.label.localeCompare(b.label, 'en', { numeric: true }));
}

export interface QualMemo {
  id: string;
  target: { kind: 'project' | 'code' | 'document' | 'segment'; id: string };
  authorId: string;
  text: string;
}

/** A whole project as exchanged (REFI-QDA) and analysed. */
export interface QualProject {
  id: string;
  name: string;
  /** Users who code; the consensus layer has coder id CONSENSUS. */
  coders: { id: string; name: string }[];
  codes: QualCode[];
  documents: QualDocument[];
  segments: QualSegment[];
  memos: QualMemo[];
}
