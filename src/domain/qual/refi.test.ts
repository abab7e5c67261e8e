import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { agreement } from './agreement.ts';
import { demoProject } from './demo.ts';
import { exportQdpx, fromCodePoints, guidFor, importQdpx, projectQde, toCodePoints } from './refi.ts';
import { CONSENSUS, type QualProject } from './types.ts';

const XSD = readFileSync(new URL('./refi/Project.xsd', import.meta.url), 'utf8');

async function validate(xml: string) {
  return validateXML({ xml: [{ fileName: 'project.qde', contents: xml }], schema: [XSD] });
}

/** Everything that must survive the round trip, in comparable form. */
function shape(p: QualProject) {
  const coder = (id: string) => (id === CONSENSUS ? CONSENSUS : p.coders.find((c) => c.id === id)?.name);
  const code = (id: string) => p.codes.find((c) => c.id === id)!.label;
  const doc = (id: string) => p.documents.find((d) => d.id === id)!.caseLabel;
  return {
    codes: p.codes
      .map((c) => [
        c.label,
        c.name,
        c.colour,
        c.definition,
        c.inclusion,
        c.exclusion,
        c.example,
        c.parentId ? code(c.parentId) : null,
      ])
      .sort(),
    documents: p.documents.map((d) => [d.caseLabel, d.text, d.attributes]),
    segments: p.segments
      .map((s) => [doc(s.documentId), code(s.codeId), coder(s.coderId), s.start, s.end].join('|'))
      .sort(),
    coders: p.coders.map((c) => c.name).sort(),
    memos: p.memos.map((m) => m.text).sort(),
  };
}

describe('REFI-QDA .qdpx', () => {
  const project = demoProject();
  const bytes = exportQdpx(project);

  it('puts project.qde at the root with the sources as UTF-8 text and no absolute paths', async () => {
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toContain('project.qde');
    expect(Object.keys(files).filter((f) => f.startsWith('sources/'))).toHaveLength(15);
    const xml = strFromU8(files['project.qde']!);
    expect(xml).not.toMatch(/(Path|path)="(\/|[A-Za-z]:\\|file:)/);
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  }, 60_000);

  it('fails validation when the export is broken (the test can fail)', async () => {
    const { xml } = projectQde(project);
    const broken = xml.replace('isCodable="true"', 'isCodable="maybe"');
    expect((await validate(broken)).valid).toBe(false);
  }, 60_000);

  it('exports the same GUIDs and bytes every time', () => {
    expect(Buffer.from(exportQdpx(demoProject())).equals(Buffer.from(bytes))).toBe(true);
  });

  it('imports back with identical codes, segments, coders and memos', () => {
    expect(shape(importQdpx(bytes))).toEqual(shape(project));
  });

  it('gives the same κ and α computed independently from the exported file', () => {
    const back = importQdpx(bytes);
    const run = (p: QualProject) =>
      agreement({
        codes: p.codes,
        documents: p.documents.map((d) => ({ id: d.id, length: d.text.length })),
        segments: p.segments.filter((s) => s.coderId !== CONSENSUS),
        coders: p.coders.map((c) => c.id),
        unit: { kind: 'character', excludeUncoded: true },
      });
    const a = run(project);
    const b = run(back);
    expect(b.pooled.kappa).toBeCloseTo(a.pooled.kappa!, 12);
    expect(b.pooled.alpha).toBeCloseTo(a.pooled.alpha!, 12);
    expect(b.perCode.map((c) => c.kappa)).toEqual(a.perCode.map((c) => c.kappa));
  });

  it('converts positions between UTF-16 units and code points', () => {
    const s = 'a😀b';
    expect(toCodePoints(s, 3)).toBe(2);
    expect(fromCodePoints(s, 2)).toBe(3);
  });

  it('rejects a file that is not a project with a clear error', () => {
    expect(() => importQdpx(new TextEncoder().encode('<html/>'))).toThrow(/not a REFI-QDA project/);
    expect(() => importQdpx(new Uint8Array([0x50, 0x4b, 1, 2]))).toThrow(/not a readable .qdpx/);
  });
});

describe('REFI-QDA GUIDs', () => {
  it('are the RFC 4122 version-5 UUIDs the uuid package computes', async () => {
    const { v5 } = await import('uuid');
    for (const id of ['1A', 'P01', 'segment-ü-42', ''])
      expect(guidFor('project', 'code', id)).toBe(v5(`project/code/${id}`, '4f1c2a64-8d0e-4c55-9a3e-2b1d6a0c7e11'));
  });
});
