/**
 * Result tables as .xlsx and .docx, written as minimal Office Open XML packages with fflate (already a
 * dependency): one sheet or one Word table, a title above, notes below. Numbers stay numbers in the
 * spreadsheet; the Word table holds the text as the page shows it (APA layout, locale decimals).
 */
import { strToU8, zipSync } from 'fflate';

export interface ResultTable {
  title: string;
  header: string[];
  /** Cells: a number (kept numeric in .xlsx) or text. */
  rows: (string | number | null)[][];
  notes: string[];
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
// XML 1.0 forbids most control characters; survey text could carry them.
const xmlText = (s: string): string => esc(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, ''));

const FIXED_DATE = new Date(Date.UTC(2000, 0, 1)); // reproducible packages: no timestamps in the zip

function zip(files: Record<string, string>): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const [name, text] of Object.entries(files)) entries[name] = [strToU8(text), { mtime: FIXED_DATE }];
  return zipSync(entries, { level: 6 });
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** One worksheet: title, blank line, header, rows, blank line, notes. Inline strings, no shared table. */
export function writeXlsx(table: ResultTable): Uint8Array {
  const lines: (string | number | null)[][] = [
    [table.title],
    [],
    table.header,
    ...table.rows,
    [],
    ...table.notes.map((n) => [n]),
  ];
  const sheetRows = lines
    .map((cells, r) => {
      const xs = cells
        .map((v, c) => {
          const ref = `${columnName(c)}${r + 1}`;
          if (v === null || v === '') return '';
          if (typeof v === 'number' && Number.isFinite(v)) return `<c r="${ref}"><v>${v}</v></c>`;
          const bold = r === 0 || r === 2 ? ' s="1"' : '';
          return `<c r="${ref}" t="inlineStr"${bold}><is><t xml:space="preserve">${xmlText(String(v))}</t></is></c>`;
        })
        .join('');
      return `<row r="${r + 1}">${xs}</row>`;
    })
    .join('');
  return zip({
    '[Content_Types].xml': `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
    '_rels/.rels': `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Spiegel" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    'xl/styles.xml': `${XML}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>`,
    'xl/worksheets/sheet1.xml': `${XML}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`,
  });
}

const para = (text: string, bold = false): string =>
  `<w:p><w:r>${bold ? '<w:rPr><w:b/></w:rPr>' : ''}<w:t xml:space="preserve">${xmlText(text)}</w:t></w:r></w:p>`;

/** A Word document: the title, an APA-style table (horizontal rules only), the notes in small print. */
export function writeDocx(table: ResultTable, format: (v: number) => string): Uint8Array {
  const cell = (v: string | number | null, bold: boolean) =>
    `<w:tc>${para(v === null ? '' : typeof v === 'number' ? format(v) : v, bold)}</w:tc>`;
  const rule = '<w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>';
  const rows = [
    `<w:tr>${table.header.map((h) => cell(h, true)).join('')}</w:tr>`,
    ...table.rows.map((r) => `<w:tr>${r.map((v) => cell(v, false)).join('')}</w:tr>`),
  ].join('');
  const body =
    para(table.title, true) +
    `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>${rule}<w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/><w:insideH w:val="nil"/></w:tblBorders></w:tblPr>${rows}</w:tbl>` +
    table.notes.map((n) => para(n)).join('');
  return zip({
    '[Content_Types].xml': `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    '_rels/.rels': `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    'word/document.xml': `${XML}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}<w:sectPr/></w:body></w:document>`,
  });
}
