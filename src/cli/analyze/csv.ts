/**
 * Streaming CSV reader for analysis input (.csv or gzip-compressed .csv.gz, detected by content).
 * Rows are handed to a callback one at a time so a multi-million-row file never sits in memory.
 * Supports RFC 4180 quoting within a line (R's write.csv quotes header names); fields with
 * embedded newlines are not needed for numeric data and are refused.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { SpiegelError } from '../../domain/errors.ts';

export interface CsvHandlers {
  /** `delimiter` is ';' for Dutch/European files (then numbers use a decimal comma), else ','. */
  header(names: string[], delimiter: ',' | ';'): void;
  /** fields are raw (unquoted) strings; line is the 1-based line number in the file. */
  row(fields: string[], line: number): void;
}

function splitQuoted(line: string, lineNo: number, path: string, sep = ','): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const j = line.indexOf('"', i);
        if (j < 0)
          throw new SpiegelError('FILE_UNREADABLE', `${path}: line ${lineNo}: unterminated quoted field`, {
            path,
            line: lineNo,
          });
        s += line.slice(i, j);
        if (line[j + 1] === '"') {
          s += '"';
          i = j + 2;
        } else {
          i = j + 1;
          break;
        }
      }
      out.push(s);
      if (i >= line.length) return out;
      if (line[i] !== sep)
        throw new SpiegelError(
          'FILE_UNREADABLE',
          `${path}: line ${lineNo}: unexpected character after a quoted field`,
          { path, line: lineNo },
        );
      i++;
    } else {
      const j = line.indexOf(sep, i);
      if (j < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, j));
      i = j + 1;
    }
  }
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Reads `path` line by line; returns the number of data rows. */
export async function streamCsv(path: string, handlers: CsvHandlers): Promise<number> {
  let gz: boolean;
  try {
    gz = await isGzip(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SpiegelError(
      'FILE_UNREADABLE',
      `${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : 'cannot be read'}`,
      { path },
    );
  }
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = gz ? source.pipe(createGunzip()) : source;
  source.on('error', (e) => stream.destroy(e));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lineNo = 0;
  let rows = 0;
  let sawHeader = false;
  let sep: ',' | ';' = ',';
  const handle = (raw: string): void => {
    lineNo++;
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!sawHeader) {
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      if (line.trim() === '')
        throw new SpiegelError('FILE_UNREADABLE', `${path}: the first line must be a header`, { path });
      // A header with more ';' than ',' is a semicolon file (Excel's CSV in Dutch and other locales).
      const outside = line.replace(/"[^"]*"/g, '');
      sep = (outside.match(/;/g)?.length ?? 0) > (outside.match(/,/g)?.length ?? 0) ? ';' : ',';
      handlers.header(
        splitQuoted(line, lineNo, path, sep).map((s) => s.trim()),
        sep,
      );
      sawHeader = true;
      return;
    }
    if (line === '') return;
    handlers.row(line.includes('"') ? splitQuoted(line, lineNo, path, sep) : line.split(sep), lineNo);
    rows++;
  };
  try {
    for await (const chunk of stream) {
      const text = rest + decoder.write(chunk as Buffer);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        handle(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
  } catch (error) {
    if (error instanceof SpiegelError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new SpiegelError(
      'FILE_UNREADABLE',
      `${path}: ${gz ? 'gzip data are corrupt or truncated' : 'read failed'} (${message})`,
      { path },
    );
  }
  rest += decoder.end();
  if (rest !== '') handle(rest);
  if (!sawHeader) throw new SpiegelError('FILE_UNREADABLE', `${path}: the file is empty`, { path });
  return rows;
}
