/**
 * `spiegel stats compute` (src/cli/commands/stats.ts): running it on cases.json with every output
 * stripped must reproduce cases.json. Checked in-process and through bin/spiegel.js.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { statsCommand } from '../../cli/commands/stats.ts';
import { stripOutputs } from './cases.ts';
import { compareDeep } from './referenceCompare.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const reference = JSON.parse(readFileSync(join(root, 'test/fixtures/stats/cases.json'), 'utf8')) as {
  cases: Record<string, unknown>[];
};
const dir = mkdtempSync(join(tmpdir(), 'spiegel-stats-'));
const write = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const strippedFile = write('stripped.json', JSON.stringify(stripOutputs(reference)));

async function runInProcess(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await statsCommand.run(args), out };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('stats compute (in-process)', () => {
  it('reproduces cases.json from its inputs alone', async () => {
    const stripped = JSON.parse(readFileSync(strippedFile, 'utf8')) as { cases: Record<string, unknown>[] };
    expect(Object.keys(stripped.cases[0]).sort()).toEqual(['kind', 'x', 'y']);
    const { code, out } = await runInProcess(['compute', '--input', strippedFile]);
    expect(code).toBe(0);
    const result = JSON.parse(out) as { cases: unknown[] };
    const { mismatches } = compareDeep(result, { cases: reference.cases });
    expect(mismatches).toEqual([]);
  });

  it('prints usage for --help', async () => {
    const { code, out } = await runInProcess(['compute', '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: spiegel stats compute --input FILE\.json/);
    expect(out).toContain('reliable_change');
  });

  it.each([
    [['compute'], 'USAGE', /missing --input/],
    [['frobnicate', '--input', 'x.json'], 'USAGE', /unknown subcommand 'frobnicate'/],
    [['compute', '--input', join(dir, 'missing.json')], 'FILE_UNREADABLE', /cannot read .*ENOENT/],
    [['compute', '--input', write('bad.json', '{"cases": [')], 'STATS_INPUT_INVALID', /is not valid JSON/],
  ])('rejects %j with %s and one line', async (args, code, message) => {
    const error = await statsCommand.run(args).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });

  it('keeps every good case of a batch, gives each bad case its error in place, and exits 1', async () => {
    const file = write(
      'batch.json',
      JSON.stringify({
        cases: [
          { kind: 't_paired_raw', x: [1, 2, 3], y: [1, 2, '3'] },
          reference.cases[0],
          { kind: 't_one_sample_raw', x: [4, 4, 4], mu: 1 },
        ],
      }),
    );
    const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { code, out } = await runInProcess(['compute', '--input', file]);
    expect(code).toBe(1);
    expect(errSpy).toHaveBeenCalledTimes(1);
    const { cases } = JSON.parse(out) as { cases: Record<string, unknown>[] };
    expect(cases).toHaveLength(3);
    expect(cases[0]).toMatchObject({
      kind: 't_paired_raw',
      error: { code: 'STATS_INPUT_INVALID', message: 'case 1 (t_paired_raw): y[2] must be a finite number.' },
    });
    expect(compareDeep(cases[1], reference.cases[0]).mismatches).toEqual([]);
    expect(cases[2]).toMatchObject({ kind: 't_one_sample_raw', error: { code: 'STATS_DEGENERATE' } });
    expect((cases[2].error as { message: string }).message).toMatch(/standard deviation 0/);
  });
});

describe('stats compute through bin/spiegel.js', () => {
  const exec = promisify(execFile);
  const spiegel = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    exec(process.execPath, [join(root, 'bin/spiegel.js'), ...args], { cwd: root, maxBuffer: 1 << 24 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('reproduces cases.json end to end', async () => {
    const { code, stdout, stderr } = await spiegel(['stats', 'compute', '--input', strippedFile]);
    expect(code, `the CLI failed: ${stderr.split('\n').slice(0, 5).join(' | ')}`).toBe(0);
    expect(compareDeep(JSON.parse(stdout), { cases: reference.cases }).mismatches).toEqual([]);
  });

  it('reports bad input on one stderr line with a non-zero exit', async () => {
    const { code, stdout, stderr } = await spiegel([
      'stats',
      'compute',
      '--input',
      write('empty.json', '{"cases":[{"kind":"t_one_sample_raw","x":[],"mu":0}]}'),
    ]);
    expect(code, stderr.split('\n').slice(0, 5).join(' | ')).toBe(1);
    expect(JSON.parse(stdout).cases[0].error.code).toBe('STATS_DEGENERATE');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /1 of 1 case failed; first: STATS_DEGENERATE: case 1 \(t_one_sample_raw\): x needs at least 2 values; got 0\./,
    );
  });
});
