import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import mammoth from 'mammoth';
import { writeDocx, writeXlsx, type ResultTable } from './ooxml.ts';

const table: ResultTable = {
  title: 'Tukey HSD <&>',
  header: ['Paar', 'Verschil', 'p'],
  rows: [
    ['Vrouw − Man', 1.234567, 0.0012],
    ['x', null, 3],
  ],
  notes: ['t(3) = 1,00'],
};

function hasReadxl(): boolean {
  try {
    return (
      execFileSync('Rscript', ['-e', 'cat(requireNamespace("readxl", quietly = TRUE))'], { encoding: 'utf8' }) ===
      'TRUE'
    );
  } catch {
    return false;
  }
}

describe('result tables as Office files', () => {
  it('writes an .xlsx that R (readxl) reads back with numbers as numbers', () => {
    const bytes = writeXlsx(table);
    expect(Buffer.from(bytes.subarray(0, 2)).toString()).toBe('PK');
    if (!hasReadxl()) return; // R is optional on a developer machine; CI has it
    const dir = mkdtempSync(join(tmpdir(), 'spiegel-xlsx-'));
    try {
      writeFileSync(join(dir, 't.xlsx'), bytes);
      const out = execFileSync(
        'Rscript',
        [
          '-e',
          `x <- readxl::read_excel("${join(dir, 't.xlsx')}", col_names = FALSE, col_types = "list"); cat(x[[1]][[1]], x[[1]][[4]], is.numeric(x[[2]][[4]]), x[[2]][[4]] * 2, x[[3]][[5]], sep = "|")`,
        ],
        { encoding: 'utf8' },
      );
      expect(out).toBe('Tukey HSD <&>|Vrouw − Man|TRUE|2.469134|3');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes a .docx whose text mammoth reads: title, formatted numbers, notes', async () => {
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(writeDocx(table, (v) => v.toFixed(2))) });
    for (const s of ['Tukey HSD <&>', 'Vrouw − Man', '1.23', '0.00', 't(3) = 1,00']) expect(value).toContain(s);
  });
});
