import { strToU8 } from 'fflate';
import { SpiegelError } from '../errors.ts';
import { toCsv, parseCsv } from './csv.ts';
import { importQdpx, projectQde } from './refi.ts';
import { orderedCodes, type QualCode } from './types.ts';

/**
 * Transcripts and codebooks as researchers bring them: plain text, WebVTT and SubRip subtitles from
 * recording tools (timings dropped, speakers kept), a REFI-QDA codebook (.qdc) or a CSV codebook.
 * (.docx is read with mammoth at the edge and arrives here as plain text.)
 */

/** The plain text of a transcript file; offsets of segments point into exactly this text. */
export function transcriptText(fileName: string, content: string): string {
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const ext = fileName.toLowerCase().split('.').pop();
  if (ext === 'vtt') return subtitleCues(text.replace(/^WEBVTT[^\n]*\n/, ''), /-->/);
  if (ext === 'srt') return subtitleCues(text, /-->/);
  if (ext === 'txt' || ext === 'docx') return text.trim() + '\n';
  throw new SpiegelError('QUAL_IMPORT_INVALID', 'Use a .txt, .docx, .vtt or .srt file.');
}

/** Cue text of a subtitle file, one cue per line; "<v Speaker>" becomes "Speaker: ". */
function subtitleCues(text: string, timing: RegExp): string {
  const lines: string[] = [];
  for (const block of text.split(/\n{2,}/)) {
    const rows = block.split('\n').filter((r) => r.trim() !== '');
    if (!rows.length || /^(NOTE|STYLE|REGION)\b/.test(rows[0]!)) continue;
    const at = rows.findIndex((r) => timing.test(r));
    if (at < 0) continue;
    const cue = rows
      .slice(at + 1)
      .join(' ')
      .replace(/<v(?:\.[\w.]+)?\s+([^>]+)>/g, '$1: ')
      .replace(/<[^>]+>/g, '')
      .trim();
    if (cue) lines.push(cue);
  }
  if (!lines.length) throw new SpiegelError('QUAL_IMPORT_INVALID', 'The subtitle file holds no cues.');
  return lines.join('\n') + '\n';
}

export type ImportedCode = Omit<QualCode, 'id' | 'parentId' | 'equivalentTo'> & {
  parent?: string;
  equivalent?: string;
};

const CSV_HEADER = [
  'label',
  'name',
  'parent',
  'equivalent',
  'definition',
  'inclusion',
  'exclusion',
  'example',
  'colour',
  'order',
];

/** A codebook from CSV (the header of `codebookCsv`) or REFI-QDA .qdc XML. */
export function readCodebook(fileName: string, content: string): ImportedCode[] {
  const body = content.replace(/^\uFEFF/, '');
  if (fileName.toLowerCase().endsWith('.qdc') || body.trimStart().startsWith('<')) {
    // A .qdc is the CodeBook element of a project: read it with the project reader.
    const inner = body.replace(/^\s*<\?xml[^>]*\?>/, '');
    const codes = importQdpx(strToU8(`<Project>${inner}</Project>`)).codes;
    if (!codes.length) throw new SpiegelError('QUAL_IMPORT_INVALID', 'The codebook holds no codes.');
    const labelOf = new Map(codes.map((c) => [c.id, c.label]));
    return codes.map((c) => ({
      ...c,
      parent: c.parentId ? labelOf.get(c.parentId) : undefined,
      equivalent: undefined,
    }));
  }
  const rows = parseCsv(body).filter((r) => r.some((cell) => cell.trim() !== ''));
  const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('label') < 0 || col('name') < 0)
    throw new SpiegelError('QUAL_IMPORT_INVALID', 'The CSV codebook needs the columns label and name.');
  const codes = rows.map((r, i) => {
    const get = (name: string) => (col(name) >= 0 ? (r[col(name)] ?? '').trim() : '');
    const colour = get('colour') || '#888888';
    if (!get('label') || !get('name') || !/^#[0-9a-f]{6}$/i.test(colour))
      throw new SpiegelError('QUAL_IMPORT_INVALID', `Row ${i + 2} needs a label, a name and a colour like #1f77b4.`);
    const order = get('order') === '' ? i : Number(get('order'));
    return {
      label: get('label'),
      name: get('name'),
      parent: get('parent') || undefined,
      equivalent: get('equivalent') || undefined,
      definition: get('definition'),
      inclusion: get('inclusion'),
      exclusion: get('exclusion'),
      example: get('example'),
      colour: colour.toLowerCase(),
      order: Number.isFinite(order) ? order : i,
    };
  });
  const labels = new Set(codes.map((c) => c.label));
  if (labels.size !== codes.length) throw new SpiegelError('QUAL_IMPORT_INVALID', 'Two codes share a label.');
  return codes;
}

export function codebookCsv(codes: QualCode[]): string {
  const labelOf = new Map(codes.map((c) => [c.id, c.label]));
  return toCsv(
    CSV_HEADER,
    orderedCodes(codes).map((c) => [
      c.label,
      c.name,
      c.parentId ? labelOf.get(c.parentId) : '',
      c.equivalentTo ? labelOf.get(c.equivalentTo) : '',
      c.definition,
      c.inclusion,
      c.exclusion,
      c.example,
      c.colour,
      c.order,
    ]),
  );
}

/** The codebook as a REFI-QDA .qdc file (the CodeBook element of the project export). */
export function codebookQdc(projectId: string, codes: QualCode[]): string {
  const { xml } = projectQde({
    id: projectId,
    name: 'codebook',
    coders: [],
    codes,
    documents: [],
    segments: [],
    memos: [],
  });
  const book = /<CodeBook>[\s\S]*<\/CodeBook>/.exec(xml)?.[0] ?? '<CodeBook><Codes/></CodeBook>';
  return `<?xml version="1.0" encoding="utf-8"?>\n${book.replace('<CodeBook>', '<CodeBook xmlns="urn:QDA-XML:codebook:1.0">')}\n`;
}

/**
 * Words that may identify someone: capitalised words that do not start a sentence (names, places,
 * institutions), with how often they occur. A suggestion list for the investigator, not a guarantee.
 */
export function pseudonymSuggestions(text: string, limit = 30): { word: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/(?<![.!?:\n]\s*|^)(?<=\s)(\p{Lu}[\p{L}'-]{2,})/gu)) {
    counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  return [...counts]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || a.word.localeCompare(b.word))
    .slice(0, limit);
}

/** Replaces each whole word of `map` by its pseudonym (before coding starts, so offsets stay valid). */
export function applyPseudonyms(text: string, map: Record<string, string>): string {
  const words = Object.keys(map).filter((w) => w.trim() !== '');
  if (!words.length) return text;
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).sort((a, b) => b.length - a.length);
  return text.replace(new RegExp(`(?<![\\p{L}])(${escaped.join('|')})(?![\\p{L}])`, 'gu'), (w) => map[w] ?? w);
}
