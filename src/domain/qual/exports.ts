import { toCsv } from './csv.ts';
import type { CodeDocumentRow } from './tables.ts';
import { presenceMatrix } from './tables.ts';
import type { QualCode, QualDocument, QualSegment } from './types.ts';

/**
 * Exports of the analysis views. The code × document table keeps seed 004's layout exactly:
 * "Thema | Frequentie | Aantal deelnemers", each theme as "1A. Name", in the codebook's order.
 */

const HEADERS = {
  nl: ['Thema', 'Frequentie', 'Aantal deelnemers'],
  en: ['Theme', 'Frequency', 'Number of participants'],
};

export function codeDocumentCsv(rows: CodeDocumentRow[], lang: 'nl' | 'en'): string {
  return toCsv(
    HEADERS[lang],
    rows.map((r) => [`${r.label}. ${r.name}`, r.frequency, r.n]),
  );
}

/** 0/1 code presence per case as CSV (R: read.csv), variables named code_1A… */
export function presenceCsv(
  codes: QualCode[],
  documents: Pick<QualDocument, 'id' | 'caseLabel'>[],
  segments: QualSegment[],
): string {
  const m = presenceMatrix(codes, documents, segments);
  return toCsv(
    ['case', ...m.columns.map(variableName)],
    m.rows.map((r) => [r.caseLabel, ...r.values]),
  );
}

/** SPSS syntax that reads presenceCsv's file and labels every variable and its 0/1 values. */
export function presenceSps(codes: QualCode[], csvFileName: string): string {
  const vars = [...codes].sort((a, b) => a.order - b.order).map((c) => ({ name: variableName(c.label), c }));
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  return [
    `GET DATA /TYPE=TXT /FILE=${quote(csvFileName)} /DELIMITERS="," /QUALIFIER='"' /ARRANGEMENT=DELIMITED`,
    `  /FIRSTCASE=2 /VARIABLES=case A8 ${vars.map((v) => `${v.name} F1.0`).join(' ')}.`,
    'VARIABLE LABELS',
    ...vars.map((v, i) => `  ${v.name} ${quote(`${v.c.label}. ${v.c.name}`)}${i === vars.length - 1 ? '.' : ''}`),
    `VALUE LABELS ${vars.map((v) => v.name).join(' ')} 0 'absent' 1 'present'.`,
    'EXECUTE.',
    '',
  ].join('\n');
}

export function variableName(label: string): string {
  return `code_${label.replace(/[^A-Za-z0-9_]/g, '_')}`;
}
