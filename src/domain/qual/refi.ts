import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import { createHash } from 'node:crypto';
import { validate as isUuid } from 'uuid';
import { SpiegelError } from '../errors.ts';
import { CONSENSUS, orderedCodes, type QualCode, type QualProject, type QualSegment } from './types.ts';

/**
 * REFI-QDA 1.5 (QDA-XML 1.0) project exchange. Export is strict: project.qde at the root of the zip,
 * GUIDs derived from Spiegel's ids (the same project exports the same GUIDs every time), the coders and
 * the consensus layer as Users, every source embedded as UTF-8 text under sources/ (internal:// paths,
 * never absolute), memos as Notes. Import is tolerant: namespace prefixes, PlainTextContent or
 * plainTextPath, missing colours and descriptions. REFI-QDA positions count Unicode characters (code
 * points); Spiegel counts UTF-16 units, so positions are converted both ways.
 */

const NAMESPACE = '4f1c2a64-8d0e-4c55-9a3e-2b1d6a0c7e11';
const CONSENSUS_NAME = 'Consensus';

const NAMESPACE_BYTES = Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex');

/**
 * An RFC 4122 version-5 UUID (what uuid's v5 computes), hashed directly: an export names every
 * segment twice, and the package's per-call namespace parsing took most of a large export's time.
 */
function uuidV5(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function guidFor(projectId: string, kind: string, id: string): string {
  return isUuid(id) ? id.toLowerCase() : uuidV5(`${projectId}/${kind}/${id}`);
}

const esc = (s: string) =>
  s.replace(
    /[&<>"\r\n\t]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;', '\n': '&#10;', '\t': '&#9;' })[c]!,
  );
const text = (s: string) =>
  s.replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })[c]!);

/** UTF-16 offset → code point offset, and back. */
const ASTRAL = /[\uD800-\uDBFF]/;
export function toCodePoints(s: string, utf16: number): number {
  return ASTRAL.test(s) ? [...s.slice(0, utf16)].length : utf16;
}
/**
 * UTF-16 offset → code point offset for many offsets into one text: the text is scanned once (a text
 * without astral characters needs no mapping at all).
 */
export function codePointMapper(s: string): (utf16: number) => number {
  if (!ASTRAL.test(s)) return (utf16) => utf16;
  const points = new Uint32Array(s.length + 1);
  for (let i = 0, p = 0; i < s.length; i++) {
    points[i] = p;
    const c = s.charCodeAt(i);
    if (!(c >= 0xd800 && c <= 0xdbff && i + 1 < s.length)) p++;
    points[i + 1] = p;
  }
  return (utf16) => points[utf16]!;
}
export function fromCodePoints(s: string, points: number): number {
  if (!ASTRAL.test(s)) return points;
  let units = 0;
  let seen = 0;
  for (const ch of s) {
    if (seen === points) break;
    units += ch.length;
    seen++;
  }
  return units;
}

export function projectQde(
  project: QualProject,
  createdAt = new Date(0),
): { xml: string; sources: Map<string, string> } {
  const g = (kind: string, id: string) => guidFor(project.id, kind, id);
  const userGuids = new Map<string, string>();
  // Two references per segment to a handful of users: computed once each.
  const userGuid = (id: string) => userGuids.get(id) ?? userGuids.set(id, g('user', id)).get(id)!;
  const users = [...project.coders];
  if (project.segments.some((s) => s.coderId === CONSENSUS) && !users.some((u) => u.id === CONSENSUS))
    users.push({ id: CONSENSUS, name: CONSENSUS_NAME });
  const noteRefs = new Map<string, string>();
  for (const m of project.memos) {
    const key = `${m.target.kind}\u0000${m.target.id}`;
    noteRefs.set(key, (noteRefs.get(key) ?? '') + `<NoteRef targetGUID="${g('memo', m.id)}"/>`);
  }
  const notesFor = (kind: string, id: string) => noteRefs.get(`${kind}\u0000${id}`) ?? '';
  const when = createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const children = new Map<string | null, QualCode[]>();
  for (const c of orderedCodes(project.codes)) {
    const list = children.get(c.parentId) ?? [];
    list.push(c);
    children.set(c.parentId, list);
  }
  const codeXml = (c: QualCode): string => {
    const description = [
      c.definition && `Definition: ${c.definition}`,
      c.inclusion && `Inclusion: ${c.inclusion}`,
      c.exclusion && `Exclusion: ${c.exclusion}`,
      c.example && `Example: ${c.example}`,
    ]
      .filter(Boolean)
      .join('\n');
    return (
      `<Code guid="${g('code', c.id)}" name="${esc(`${c.label}. ${c.name}`)}" isCodable="true" color="${esc(c.colour.toUpperCase())}">` +
      (description ? `<Description>${text(description)}</Description>` : '') +
      notesFor('code', c.id) +
      (children.get(c.id) ?? []).map(codeXml).join('') +
      '</Code>'
    );
  };
  const attributes = [...new Set(project.documents.flatMap((d) => Object.keys(d.attributes)))].sort();
  const sources = new Map<string, string>();
  const byDocument = new Map<string, QualSegment[]>();
  for (const s of project.segments) {
    let list = byDocument.get(s.documentId);
    if (!list) byDocument.set(s.documentId, (list = []));
    list.push(s);
  }
  const sourceXml = project.documents.map((d) => {
    const guid = g('document', d.id);
    const points = codePointMapper(d.text);
    sources.set(`sources/${guid}.txt`, d.text);
    const selections = (byDocument.get(d.id) ?? [])
      .map(
        (s) =>
          `<PlainTextSelection guid="${g('segment', s.id)}" startPosition="${points(s.start)}" endPosition="${points(s.end)}" creatingUser="${userGuid(s.coderId)}">` +
          `<Coding guid="${g('coding', s.id)}" creatingUser="${userGuid(s.coderId)}"><CodeRef targetGUID="${g('code', s.codeId)}"/></Coding>` +
          notesFor('segment', s.id) +
          '</PlainTextSelection>',
      )
      .join('');
    return `<TextSource guid="${guid}" name="${esc(d.caseLabel)}" plainTextPath="internal://${guid}.txt" creationDateTime="${when}">${selections}${notesFor('document', d.id)}</TextSource>`;
  });
  const xml =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    `<Project xmlns="urn:QDA-XML:project:1.0" name="${esc(project.name)}" origin="Spiegel" creationDateTime="${when}">` +
    `<Users>${users.map((u) => `<User guid="${userGuid(u.id)}" name="${esc(u.name)}" id="${esc(u.id === CONSENSUS ? CONSENSUS : u.name)}"/>`).join('')}</Users>` +
    (project.codes.length
      ? `<CodeBook><Codes>${(children.get(null) ?? []).map(codeXml).join('')}</Codes></CodeBook>`
      : '') +
    (attributes.length
      ? `<Variables>${attributes.map((a) => `<Variable guid="${g('variable', a)}" name="${esc(a)}" typeOfVariable="Text"/>`).join('')}</Variables>`
      : '') +
    (project.documents.length
      ? `<Cases>${project.documents
          .map(
            (d) =>
              `<Case guid="${g('case', d.id)}" name="${esc(d.caseLabel)}">` +
              attributes
                .filter((a) => d.attributes[a] !== undefined)
                .map(
                  (a) =>
                    `<VariableValue><VariableRef targetGUID="${g('variable', a)}"/><TextValue>${text(d.attributes[a]!)}</TextValue></VariableValue>`,
                )
                .join('') +
              `<SourceRef targetGUID="${g('document', d.id)}"/></Case>`,
          )
          .join('')}</Cases>`
      : '') +
    (sourceXml.length ? `<Sources>${sourceXml.join('')}</Sources>` : '') +
    (project.memos.length
      ? `<Notes>${project.memos
          .map(
            (m) =>
              `<Note guid="${g('memo', m.id)}" name="${esc(`${m.target.kind} memo`)}" creatingUser="${userGuid(m.authorId)}"><PlainTextContent>${text(m.text)}</PlainTextContent></Note>`,
          )
          .join('')}</Notes>`
      : '') +
    notesFor('project', project.id) +
    '</Project>\n';
  return { xml, sources };
}

/** The .qdpx file: a zip with project.qde at the root and the sources beside it. */
export function exportQdpx(project: QualProject, createdAt?: Date): Uint8Array {
  const { xml, sources } = projectQde(project, createdAt);
  const files: Record<string, Uint8Array> = { 'project.qde': strToU8(xml) };
  for (const [path, body] of sources) files[path] = strToU8(body);
  // A fixed timestamp keeps the archive byte-identical for the same project.
  return zipSync(files, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
}

const arr = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
type Node = Record<string, unknown>;
const attr = (n: Node, name: string): string | undefined => {
  const v = n[`@_${name}`];
  return v === undefined ? undefined : String(v);
};
const textOf = (n: unknown): string => {
  if (n === undefined || n === null) return '';
  if (typeof n === 'object') return String((n as Node)['#text'] ?? '');
  return String(n);
};

/** Reads a .qdpx (or a bare project.qde) back into a project; tolerant of what other tools write. */
export function importQdpx(bytes: Uint8Array): QualProject {
  let files: Record<string, Uint8Array>;
  try {
    files = bytes[0] === 0x50 && bytes[1] === 0x4b ? unzipSync(bytes) : { 'project.qde': bytes };
  } catch {
    throw new SpiegelError('QUAL_IMPORT_INVALID', 'The file is not a readable .qdpx archive.');
  }
  const qdeName = Object.keys(files).find((f) => f.toLowerCase().endsWith('.qde'));
  if (!qdeName) throw new SpiegelError('QUAL_IMPORT_INVALID', 'The .qdpx archive holds no project.qde.');
  const parser = new XMLParser({
    ignoreAttributes: false,
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    isArray: (name) =>
      [
        'User',
        'Code',
        'Variable',
        'Case',
        'VariableValue',
        'SourceRef',
        'TextSource',
        'PlainTextSelection',
        'Coding',
        'Note',
        'NoteRef',
      ].includes(name),
  });
  let root: Node;
  try {
    root = parser.parse(strFromU8(files[qdeName]!)).Project as Node;
  } catch {
    root = undefined as unknown as Node;
  }
  if (!root) throw new SpiegelError('QUAL_IMPORT_INVALID', 'project.qde is not a REFI-QDA project.');
  const users = new Map<string, { id: string; name: string }>();
  for (const u of arr((root.Users as Node | undefined)?.User as Node[])) {
    const name = attr(u, 'name') ?? attr(u, 'id') ?? attr(u, 'guid')!;
    const id = name === CONSENSUS_NAME || attr(u, 'id') === CONSENSUS ? CONSENSUS : attr(u, 'guid')!.toLowerCase();
    users.set(attr(u, 'guid')!.toLowerCase(), { id, name });
  }
  const coderOf = (guid: string | undefined) =>
    guid ? (users.get(guid.toLowerCase())?.id ?? guid.toLowerCase()) : 'unknown';
  const codes: QualCode[] = [];
  let order = 0;
  const readCode = (c: Node, parentId: string | null) => {
    const full = attr(c, 'name') ?? '';
    const m = /^(\S{1,12})\.\s+(.*)$/s.exec(full);
    const description = textOf(c.Description);
    const field = (label: string) => new RegExp(`^${label}: (.*)$`, 'm').exec(description)?.[1] ?? '';
    const id = attr(c, 'guid')!.toLowerCase();
    codes.push({
      id,
      label: m ? m[1]! : full,
      name: m ? m[2]! : full,
      parentId,
      definition: field('Definition') || (/^\w+: /.test(description) ? '' : description),
      inclusion: field('Inclusion'),
      exclusion: field('Exclusion'),
      example: field('Example'),
      colour: (attr(c, 'color') ?? '#888888').toLowerCase(),
      order: order++,
      equivalentTo: null,
    });
    for (const child of arr(c.Code as Node[])) readCode(child, id);
  };
  for (const c of arr(((root.CodeBook as Node | undefined)?.Codes as Node | undefined)?.Code as Node[]))
    readCode(c, null);
  const variables = new Map(
    arr((root.Variables as Node | undefined)?.Variable as Node[]).map((v) => [
      attr(v, 'guid')!.toLowerCase(),
      attr(v, 'name')!,
    ]),
  );
  const attributesOf = new Map<string, { label: string; attributes: Record<string, string> }>();
  for (const c of arr((root.Cases as Node | undefined)?.Case as Node[])) {
    const attributes: Record<string, string> = {};
    for (const vv of arr(c.VariableValue as Node[])) {
      const name = variables.get(attr(vv.VariableRef as Node, 'targetGUID')!.toLowerCase());
      const value =
        vv.TextValue ?? vv.IntegerValue ?? vv.FloatValue ?? vv.BooleanValue ?? vv.DateValue ?? vv.DateTimeValue;
      if (name) attributes[name] = textOf(value);
    }
    for (const ref of arr(c.SourceRef as Node[]))
      attributesOf.set(attr(ref, 'targetGUID')!.toLowerCase(), { label: attr(c, 'name') ?? '', attributes });
  }
  const documents: QualProject['documents'] = [];
  const segments: QualProject['segments'] = [];
  const memos: QualProject['memos'] = [];
  const noteTargets = new Map<string, QualProject['memos'][number]['target']>();
  const refsOf = (n: Node, target: QualProject['memos'][number]['target']) => {
    for (const r of arr(n.NoteRef as Node[])) noteTargets.set(attr(r, 'targetGUID')!.toLowerCase(), target);
  };
  for (const s of arr((root.Sources as Node | undefined)?.TextSource as Node[])) {
    const id = attr(s, 'guid')!.toLowerCase();
    let body = s.PlainTextContent !== undefined ? textOf(s.PlainTextContent) : null;
    if (body === null) {
      const path = (attr(s, 'plainTextPath') ?? '').replace(/^internal:\/\//, '');
      const file = Object.keys(files).find((f) => f === `sources/${path}` || f.endsWith(`/${path}`) || f === path);
      if (!file)
        throw new SpiegelError('QUAL_IMPORT_INVALID', `The text of source ${attr(s, 'name') ?? id} is missing.`);
      body = strFromU8(files[file]!);
    }
    const meta = attributesOf.get(id);
    documents.push({
      id,
      caseLabel: meta?.label || attr(s, 'name') || id,
      text: body,
      attributes: meta?.attributes ?? {},
    });
    refsOf(s, { kind: 'document', id });
    for (const sel of arr(s.PlainTextSelection as Node[])) {
      const start = fromCodePoints(body, Number(attr(sel, 'startPosition')));
      const end = fromCodePoints(body, Number(attr(sel, 'endPosition')));
      const codings = arr(sel.Coding as Node[]);
      codings.forEach((coding, i) => {
        const segId = codings.length === 1 ? attr(sel, 'guid')!.toLowerCase() : attr(coding, 'guid')!.toLowerCase();
        segments.push({
          id: segId,
          documentId: id,
          codeId: attr(coding.CodeRef as Node, 'targetGUID')!.toLowerCase(),
          coderId: coderOf(attr(coding, 'creatingUser') ?? attr(sel, 'creatingUser')),
          start,
          end,
        });
        if (i === 0) refsOf(sel, { kind: 'segment', id: segId });
      });
    }
  }
  const walkCodes = (c: Node) => {
    refsOf(c, { kind: 'code', id: attr(c, 'guid')!.toLowerCase() });
    arr(c.Code as Node[]).forEach(walkCodes);
  };
  arr(((root.CodeBook as Node | undefined)?.Codes as Node | undefined)?.Code as Node[]).forEach(walkCodes);
  const projectId = 'imported';
  refsOf(root, { kind: 'project', id: projectId });
  for (const n of arr((root.Notes as Node | undefined)?.Note as Node[])) {
    const id = attr(n, 'guid')!.toLowerCase();
    memos.push({
      id,
      target: noteTargets.get(id) ?? { kind: 'project', id: projectId },
      authorId: coderOf(attr(n, 'creatingUser')),
      text: textOf(n.PlainTextContent),
    });
  }
  return {
    id: projectId,
    name: attr(root, 'name') ?? '',
    coders: [...users.values()].filter((u) => u.id !== CONSENSUS),
    codes,
    documents,
    segments,
    memos,
  };
}
