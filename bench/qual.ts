// Qualitative coding: agreement (character unit, uncoded text excluded) + the code × document table +
// co-occurrence for 15 transcripts × 2 coders × 1,000 segments per coder and transcript (30,000
// segments), against the 100 ms target; and a REFI-QDA .qdpx export of the same project against 1 s.
// The anchor of the agreement figure is the npm krippendorff package on the presence-unit data.
// Usage: npm run bench -- qual [--segments N]
import { alpha as oracleAlpha } from 'krippendorff';
import { report } from './_report.ts';
import { agreement } from '../src/domain/qual/agreement.ts';
import { demoProject } from '../src/domain/qual/demo.ts';
import { exportQdpx } from '../src/domain/qual/refi.ts';
import { codeDocumentTable, coOccurrence } from '../src/domain/qual/tables.ts';
import type { QualProject, QualSegment } from '../src/domain/qual/types.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--segments');
const PER = at >= 0 ? Number(args[at + 1]) : 1000;

const base = demoProject();
const codes = base.codes.filter((c) => c.parentId !== null);
let seed = 2004;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const documents = base.documents.map((d) => ({ ...d, text: d.text.repeat(Math.ceil((PER * 60) / d.text.length)) }));
const segments: QualSegment[] = [];
for (const d of documents)
  for (const coder of ['coder-a', 'coder-b'])
    for (let i = 0; i < PER; i++) {
      const start = Math.floor(random() * (d.text.length - 200));
      segments.push({
        id: `${d.id}-${coder}-${i}`,
        documentId: d.id,
        codeId: codes[Math.floor(random() * codes.length)]!.id,
        coderId: coder,
        start,
        end: start + 20 + Math.floor(random() * 180),
      });
    }
const project: QualProject = { ...base, documents, segments };
const lengths = documents.map((d) => ({ id: d.id, length: d.text.length }));

const time = (fn: () => void, runs = 5) => {
  fn();
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    all.push(performance.now() - t);
  }
  return all.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
};

const analysis = time(() => {
  agreement({
    codes,
    documents: lengths,
    segments,
    coders: ['coder-a', 'coder-b'],
    unit: { kind: 'character', excludeUncoded: true },
  });
  codeDocumentTable(
    codes,
    documents,
    segments.filter((s) => s.coderId === 'coder-a'),
  );
  coOccurrence(
    codes,
    segments.filter((s) => s.coderId === 'coder-a'),
  );
});
const presence = codes.map((c) =>
  ['coder-a', 'coder-b'].map((coder) =>
    documents.map((d) =>
      segments.some((s) => s.documentId === d.id && s.coderId === coder && s.codeId === c.id) ? 1 : 0,
    ),
  ),
);
const anchor = time(() => presence.forEach((rows) => oracleAlpha(rows)));
report({
  bench: 'qual',
  metric: 'agreement + code×document + co-occurrence (ms, median of 5)',
  value: Math.round(analysis * 10) / 10,
  unit: 'ms',
  target: '≤ 100 ms',
  segments: segments.length,
  anchor: 'npm krippendorff, α per code on the 15-case presence data only (ms)',
  anchor_value: Math.round(anchor * 10) / 10,
});
const exportMs = time(() => exportQdpx(project), 3);
report({
  bench: 'qual',
  metric: '.qdpx export (ms, median of 3)',
  value: Math.round(exportMs),
  unit: 'ms',
  target: '≤ 1000 ms',
  segments: segments.length,
  anchor: 'target',
  anchor_value: 1000,
});
