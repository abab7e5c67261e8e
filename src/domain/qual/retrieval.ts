import { SpiegelError } from '../errors.ts';
import type { QualCode, QualSegment } from './types.ts';

/**
 * Boolean retrieval over cases: "1A AND (1B OR NOT 1C)". A case matches a code when it has at least
 * one segment of it in the chosen layer. NOT binds tighter than AND, AND tighter than OR. Returns the
 * matching documents and the segments of the codes named positively in the query.
 */

export type Query = { op: 'code'; label: string } | { op: 'not'; arg: Query } | { op: 'and' | 'or'; args: Query[] };

export function parseQuery(text: string): Query {
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const fail = (why: string): never => {
    throw new SpiegelError('VALIDATION_FAILED', `The query cannot be read: ${why}.`, { query: text });
  };
  const peek = () => tokens[i]?.toUpperCase();
  const primary = (): Query => {
    const t = tokens[i++];
    if (t === undefined) return fail('it ends too early');
    if (t === '(') {
      const q = or();
      if (tokens[i++] !== ')') fail('a closing parenthesis is missing');
      return q;
    }
    if (t.toUpperCase() === 'NOT') return { op: 'not', arg: primary() };
    if (t === ')' || ['AND', 'OR'].includes(t.toUpperCase())) fail(`unexpected “${t}”`);
    return { op: 'code', label: t };
  };
  const and = (): Query => {
    const args = [primary()];
    while (peek() === 'AND') {
      i++;
      args.push(primary());
    }
    return args.length === 1 ? args[0]! : { op: 'and', args };
  };
  const or = (): Query => {
    const args = [and()];
    while (peek() === 'OR') {
      i++;
      args.push(and());
    }
    return args.length === 1 ? args[0]! : { op: 'or', args };
  };
  if (tokens.length === 0) fail('it is empty');
  const q = or();
  if (i < tokens.length) fail(`unexpected “${tokens[i]}”`);
  return q;
}

export function retrieve(
  query: Query,
  codes: QualCode[],
  documentIds: string[],
  segments: QualSegment[],
): { documentIds: string[]; segments: QualSegment[] } {
  const byLabel = new Map(codes.map((c) => [c.label.toUpperCase(), c.id]));
  const has = new Map<string, Set<string>>();
  for (const s of segments) {
    let set = has.get(s.codeId);
    if (!set) has.set(s.codeId, (set = new Set()));
    set.add(s.documentId);
  }
  const positive = new Set<string>();
  const codeId = (label: string) => {
    const id = byLabel.get(label.toUpperCase());
    if (!id) throw new SpiegelError('VALIDATION_FAILED', `The query names an unknown code: ${label}.`, { label });
    return id;
  };
  const collect = (q: Query, negated: boolean): void => {
    if (q.op === 'code') {
      if (!negated) positive.add(codeId(q.label));
    } else if (q.op === 'not') collect(q.arg, !negated);
    else q.args.forEach((a) => collect(a, negated));
  };
  collect(query, false);
  const test = (q: Query, doc: string): boolean => {
    if (q.op === 'code') return has.get(codeId(q.label))?.has(doc) ?? false;
    if (q.op === 'not') return !test(q.arg, doc);
    return q.op === 'and' ? q.args.every((a) => test(a, doc)) : q.args.some((a) => test(a, doc));
  };
  const matched = documentIds.filter((d) => test(query, d));
  const docs = new Set(matched);
  return {
    documentIds: matched,
    segments: segments.filter((s) => docs.has(s.documentId) && positive.has(s.codeId)),
  };
}
