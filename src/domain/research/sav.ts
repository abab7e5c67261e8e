/**
 * An SPSS system file (.sav) writer, written from the PSPP developers' guide ("System File Format"):
 * header, variable records with labels and user-missing values, value labels, the machine info
 * records, display parameters, long variable names, very long strings (> 255 bytes, in 252-byte
 * segments of 255) and the UTF-8 encoding record, then uncompressed cases (8-byte elements;
 * numeric as IEEE double little-endian, system-missing as −DBL_MAX; strings space-padded).
 * Decision 0021 says why we write our own.
 */
import type { Dataset, Variable } from './dataset.ts';

const SYSMIS = -Number.MAX_VALUE;
const FORMAT_F = 5;
const FORMAT_A = 1;
const MEASURE = { nominal: 1, ordinal: 2, scale: 3 } as const;

class Writer {
  private buf: Buffer;
  private pos = 0;
  constructor(size = 1 << 16) {
    this.buf = Buffer.alloc(size);
  }
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  int(v: number): void {
    this.room(4);
    this.buf.writeInt32LE(v, this.pos);
    this.pos += 4;
  }
  double(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }
  /** Bytes padded (or cut) to exactly `length` with `pad`. */
  bytes(b: Uint8Array, length: number, pad = 0x20): void {
    this.room(length);
    const n = Math.min(b.length, length);
    this.buf.set(b.subarray(0, n), this.pos);
    this.buf.fill(pad, this.pos + n, this.pos + length);
    this.pos += length;
  }
  text(s: string, length: number, pad = 0x20): void {
    this.bytes(Buffer.from(s, 'utf8'), length, pad);
  }
  done(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Cuts a UTF-8 string to at most `max` bytes without splitting a character. */
function cutUtf8(s: string, max: number): Buffer {
  const b = utf8(s);
  if (b.length <= max) return b;
  let end = max;
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
  return b.subarray(0, end);
}

interface Layout {
  variable: Variable;
  shortName: string;
  /** 0 for numeric, else the string width in bytes. */
  width: number;
  /** Segment widths (one for numeric and strings ≤ 255). */
  segments: number[];
  segmentNames: string[];
  /** 1-based index of the first 8-byte element. */
  index: number;
}

function segmentsOf(width: number): number[] {
  if (width <= 255) return [width];
  const n = Math.floor((width + 251) / 252);
  return Array.from({ length: n }, (_, i) => (i < n - 1 ? 255 : width - (n - 1) * 252));
}

const elements = (width: number): number => (width === 0 ? 1 : Math.ceil(width / 8));

function shortNames(names: string[]): string[] {
  const used = new Set<string>();
  const unique = (base: string): string => {
    let candidate = base.slice(0, 8);
    for (let k = 1; used.has(candidate); k++) candidate = `${base.slice(0, 8 - String(k).length - 1)}_${k}`;
    used.add(candidate);
    return candidate;
  };
  return names.map((n) => unique(n.toUpperCase().replace(/[^A-Z0-9_@#$.]/g, '_')));
}

/** Writes the dataset as an SPSS system file. String widths come from the longest value (UTF-8 bytes). */
export function writeSav(dataset: Dataset, options: { label?: string; now?: Date } = {}): Uint8Array {
  const { variables, rows } = dataset;
  const widths = variables.map((v, col) => {
    if (v.type === 'numeric') return 0;
    let w = 1;
    for (const row of rows) {
      const c = row[col];
      if (typeof c === 'string') w = Math.max(w, utf8(c).length);
    }
    return Math.min(w, 32767);
  });
  const names = shortNames(variables.map((v) => v.name));
  const layouts: Layout[] = [];
  let index = 1;
  const allShort = new Set(names);
  variables.forEach((variable, i) => {
    const segments = widths[i] === 0 ? [0] : segmentsOf(widths[i]);
    const segmentNames = segments.map((_, k) => {
      if (k === 0) return names[i];
      let candidate = `${names[i].slice(0, 5)}${k}`;
      for (let j = 0; allShort.has(candidate); j++) candidate = `S${String(i).padStart(3, '0')}${k}${j}`.slice(0, 8);
      allShort.add(candidate);
      return candidate;
    });
    layouts.push({ variable, shortName: names[i], width: widths[i], segments, segmentNames, index });
    index += segments.reduce((s, w) => s + (w === 0 ? 1 : elements(w)), 0);
  });
  const caseSize = index - 1;
  const now = options.now ?? new Date();
  const w = new Writer(Math.max(1 << 16, rows.length * caseSize * 8 + variables.length * 512));

  // File header record.
  w.text('$FL2', 4);
  w.text('@(#) SPSS DATA FILE Spiegel research export', 60);
  w.int(2);
  w.int(caseSize);
  w.int(0); // uncompressed
  w.int(0); // no weight
  w.int(rows.length);
  w.double(100);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  w.text(`${two(now.getUTCDate())} ${months[now.getUTCMonth()]} ${two(now.getUTCFullYear() % 100)}`, 9);
  w.text(`${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}`, 8);
  w.bytes(cutUtf8(options.label ?? '', 64), 64);
  w.bytes(new Uint8Array(0), 3, 0);

  // Variable records: one per segment, plus continuation records for every further 8 bytes.
  for (const l of layouts) {
    l.segments.forEach((segWidth, k) => {
      const numeric = segWidth === 0;
      const first = k === 0;
      const label = first ? cutUtf8(l.variable.label, 255) : null;
      const missing = first && numeric ? l.variable.missing.slice(0, 3) : [];
      const format = numeric
        ? (FORMAT_F << 16) | (Math.min(40, Math.max(8, l.variable.decimals + 6)) << 8) | l.variable.decimals
        : (FORMAT_A << 16) | (Math.min(segWidth, 255) << 8);
      w.int(2);
      w.int(segWidth);
      w.int(label && label.length > 0 ? 1 : 0);
      w.int(missing.length);
      w.int(format);
      w.int(format);
      w.text(l.segmentNames[k], 8);
      if (label && label.length > 0) {
        w.int(label.length);
        w.bytes(label, Math.ceil(label.length / 4) * 4, 0x20);
      }
      for (const m of missing) w.double(m);
      for (let e = 1; e < elements(segWidth); e++) {
        w.int(2);
        w.int(-1);
        w.int(0);
        w.int(0);
        w.int(0);
        w.int(0);
        w.text('', 8);
      }
    });
  }

  // Value labels (numeric variables): record 3 with the labels, record 4 with the variable index.
  for (const l of layouts) {
    if (l.width !== 0 || l.variable.valueLabels.length === 0) continue;
    w.int(3);
    w.int(l.variable.valueLabels.length);
    for (const { value, label } of l.variable.valueLabels) {
      w.double(value);
      const b = cutUtf8(label, 120);
      const total = Math.ceil((b.length + 1) / 8) * 8;
      const out = Buffer.alloc(total, 0x20);
      out[0] = b.length;
      b.copy(out, 1);
      w.bytes(out, total);
    }
    w.int(4);
    w.int(1);
    w.int(l.index);
  }

  // Machine integer info: version 1.0.0, IEEE 754, little-endian, UTF-8 (code page 65001).
  w.int(7);
  w.int(3);
  w.int(4);
  w.int(8);
  for (const v of [1, 0, 0, -1, 1, 1, 2, 65001]) w.int(v);
  // Machine floating-point info: SYSMIS, HIGHEST, LOWEST.
  w.int(7);
  w.int(4);
  w.int(8);
  w.int(3);
  w.double(SYSMIS);
  w.double(Number.MAX_VALUE);
  w.double(-1.7976931348623155e308);
  // Variable display parameters: measure, display width, alignment (0 left, 1 right) per segment.
  const display: number[] = [];
  for (const l of layouts)
    for (const segWidth of l.segments) {
      display.push(MEASURE[l.variable.measure], segWidth === 0 ? 8 : Math.min(segWidth, 40), segWidth === 0 ? 1 : 0);
    }
  w.int(7);
  w.int(11);
  w.int(4);
  w.int(display.length);
  for (const v of display) w.int(v);
  // Long variable names.
  const longNames = utf8(layouts.map((l) => `${l.shortName}=${l.variable.name}`).join('\t'));
  w.int(7);
  w.int(13);
  w.int(1);
  w.int(longNames.length);
  w.bytes(longNames, longNames.length);
  // Very long strings: NAME=WIDTH (five digits), each followed by NUL and TAB.
  const veryLong = layouts.filter((l) => l.segments.length > 1);
  if (veryLong.length > 0) {
    const map = Buffer.concat(
      veryLong.map((l) =>
        Buffer.concat([utf8(`${l.shortName}=${String(l.width).padStart(5, '0')}`), Buffer.from([0, 9])]),
      ),
    );
    w.int(7);
    w.int(14);
    w.int(1);
    w.int(map.length);
    w.bytes(map, map.length);
  }
  // Character encoding.
  w.int(7);
  w.int(20);
  w.int(1);
  w.int(5);
  w.text('UTF-8', 5);
  // Dictionary termination.
  w.int(999);
  w.int(0);

  // Cases.
  for (const row of rows) {
    layouts.forEach((l, col) => {
      const cell = row[col];
      if (l.width === 0) {
        w.double(typeof cell === 'number' && Number.isFinite(cell) ? cell : SYSMIS);
        return;
      }
      const b = cutUtf8(typeof cell === 'string' ? cell : cell === null ? '' : String(cell), l.width);
      let offset = 0;
      for (const segWidth of l.segments) {
        const take = Math.min(255, Math.max(0, b.length - offset));
        w.bytes(b.subarray(offset, offset + take), elements(segWidth) * 8);
        offset += 255;
      }
    });
  }
  return w.done();
}
