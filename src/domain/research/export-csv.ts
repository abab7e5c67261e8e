/**
 * CSV (RFC 4180, UTF-8, comma, dot decimals, empty cell = system-missing) and an R script that reads
 * it and applies the codebook: variable labels (attribute "label"), value labels as factors where a
 * variable is nominal, and the user-missing codes set to NA with their meaning kept in an attribute.
 */
import type { Dataset } from './dataset.ts';

function csvCell(v: number | string | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v;
}

export function writeCsv(dataset: Dataset): string {
  const lines = [dataset.variables.map((v) => csvCell(v.name)).join(',')];
  for (const row of dataset.rows) lines.push(row.map(csvCell).join(','));
  return lines.join('\r\n') + '\r\n';
}

const rString = (s: string): string => JSON.stringify(s);

/** An R script that reads `csvName` (next to it) and applies labels and missing codes. */
export function writeRScript(dataset: Dataset, csvName: string): string {
  const out: string[] = [
    '# Reads the Spiegel export and applies the codebook. Base R only.',
    `d <- read.csv(${rString(csvName)}, fileEncoding = "UTF-8", stringsAsFactors = FALSE, na.strings = "")`,
    '',
  ];
  for (const v of dataset.variables) {
    const col = `d[[${rString(v.name)}]]`;
    if (v.missing.length > 0) {
      out.push(`attr(${col}, "missing_codes") <- c(${v.missing.join(', ')})`);
      out.push(`${col}[${col} %in% c(${v.missing.join(', ')})] <- NA`);
    }
    const labels = v.valueLabels.filter((l) => !v.missing.includes(l.value));
    if (labels.length > 0 && v.measure === 'nominal') {
      out.push(
        `${col} <- factor(${col}, levels = c(${labels.map((l) => l.value).join(', ')}), labels = c(${labels.map((l) => rString(l.label)).join(', ')}))`,
      );
    } else if (labels.length > 0) {
      out.push(
        `attr(${col}, "labels") <- setNames(c(${labels.map((l) => l.value).join(', ')}), c(${labels.map((l) => rString(l.label)).join(', ')}))`,
      );
    }
    out.push(`attr(${col}, "label") <- ${rString(v.label)}`);
  }
  out.push('', '# Variable labels: sapply(d, attr, "label")');
  return out.join('\n') + '\n';
}
