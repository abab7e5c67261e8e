import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { analyzeCommand } from '../commands/analyze.ts';
import { SpiegelError } from '../../domain/errors.ts';

const small = new URL('../../../test/fixtures/mixed/small/', import.meta.url).pathname;
const ref = JSON.parse(readFileSync(`${small}reference.json`, 'utf8'));
const FA = ref.model_a.formula as string;
const FB = ref.model_b.formula as string;
const tmp = mkdtempSync(join(tmpdir(), 'spiegel-analyze-'));

let out = '';
beforeEach(() => {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const run = (...args: string[]) => analyzeCommand.run(['therapist-effects', ...args]);
async function fails(args: string[], code: string, message: RegExp): Promise<void> {
  const err = await run(...args).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SpiegelError);
  expect((err as SpiegelError).code).toBe(code);
  expect((err as SpiegelError).message).toMatch(message);
}

describe('spiegel analyze therapist-effects', () => {
  it('fits model a and prints the reference.json fields', async () => {
    expect(await run('--input', `${small}patients.csv`, '--formula', FA, '--json')).toBe(0);
    const j = JSON.parse(out);
    for (const k of [
      'reml_criterion',
      'theta',
      'sigma',
      'fixed',
      'varcomp',
      'icc',
      'icc_profile_ci95',
      'therapist_eb',
      'iterations',
      'converged',
      'seconds',
    ])
      expect(j).toHaveProperty(k);
    expect(j.reml_criterion).toBeLessThanOrEqual(ref.model_a.reml_criterion + 1e-6);
    expect(j.fixed.map((f: { term: string }) => f.term)).toEqual(
      ref.model_a.fixed.map((f: { term: string }) => f.term),
    );
    expect(j.therapist_eb[0]).toMatchObject({ therapist: 1 });
    expect(j.converged).toBe(true);
    expect(Math.abs(j.icc_profile_ci95[1] - ref.model_a.icc_profile_ci95[1])).toBeLessThan(1e-8);
  });

  it('evaluates the criterion at a given θ without optimising', async () => {
    const at = ref.model_b.criterion_at[0];
    expect(
      await run('--input', `${small}sessions.csv`, '--formula', FB, '--json', '--criterion-at', at.theta.join(',')),
    ).toBe(0);
    const j = JSON.parse(out);
    expect(Math.abs(j.reml_criterion - at.reml_criterion) / at.reml_criterion).toBeLessThan(1e-8);
    expect(j).not.toHaveProperty('fixed');
  });

  it('fits by ML with --ml, and reads gzip input', async () => {
    const gz = join(tmp, 'patients.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(`${small}patients.csv`)));
    expect(await run('--input', gz, '--formula', FA, '--ml', '--json')).toBe(0);
    const j = JSON.parse(out);
    expect(j.method).toBe('ML');
    expect(j).toHaveProperty('deviance');
    expect(j).not.toHaveProperty('reml_criterion');
    expect(j.n_obs).toBe(1500);
  });

  it('drops rows with missing values, as lme4 does', async () => {
    const lines = readFileSync(`${small}patients.csv`, 'utf8').trim().split('\n');
    lines[1] = lines[1].replace(/,[^,]*$/, ',NA');
    lines[2] = lines[2].replace(/^([^,]*,[^,]*),[^,]*/, '$1,');
    const file = join(tmp, 'na.csv');
    writeFileSync(file, lines.join('\r\n') + '\r\n');
    expect(await run('--input', file, '--formula', FA, '--json')).toBe(0);
    const j = JSON.parse(out);
    expect(j.rows_dropped).toBe(2);
    expect(j.n_obs).toBe(1498);
  });

  it('prints a readable summary without --json', async () => {
    expect(await run('--input', `${small}patients.csv`, '--formula', FA)).toBe(0);
    expect(out).toMatch(/Fixed effects:/);
    expect(out).toMatch(/ICC: 0\.01076/);
  });

  it('shows help', async () => {
    expect(await analyzeCommand.run(['--help'])).toBe(0);
    expect(out).toMatch(/Usage: spiegel analyze therapist-effects/);
  });

  it('refuses bad input with one clear message', async () => {
    const file = join(tmp, 'bad.csv');
    writeFileSync(file, 'therapist,patient,intake_c,age_c,female,n_sessions,post\n1,1,2.5,3,1,5,abc\n1,2,1,2,0,4,3\n');
    const short = join(tmp, 'short.csv');
    writeFileSync(short, 'therapist,patient,intake_c,age_c,female,n_sessions,post\n1,1,2.5,3,1,5\n');
    await fails(['--formula', FA], 'USAGE', /--input FILE is required/);
    await fails(['--input', `${small}patients.csv`], 'USAGE', /--formula/);
    await fails(['--input', `${small}patients.csv`, '--formula', FA, '--reml', '--ml'], 'USAGE', /choose one/);
    await fails(['--input', `${small}patients.csv`, '--formula', FA, '--bogus'], 'USAGE', /unknown option --bogus/);
    await fails(
      ['--input', `${small}patients.csv`, '--formula', FA, '--criterion-at', '0.1,x'],
      'USAGE',
      /comma-separated numbers/,
    );
    await fails(['--input', join(tmp, 'nope.csv'), '--formula', FA], 'FILE_UNREADABLE', /no such file/);
    await fails(
      ['--input', `${small}patients.csv`, '--formula', 'post ~ intake_c'],
      'MODEL_FORMULA_INVALID',
      /random-effects term/,
    );
    await fails(
      ['--input', `${small}patients.csv`, '--formula', 'post ~ severity + (1 | therapist)'],
      'MODEL_DATA_INVALID',
      /column 'severity' of the formula is not in/,
    );
    await fails(
      ['--input', file, '--formula', FA],
      'MODEL_DATA_INVALID',
      /line 2, column [0-9]+ \('post'\): not a number: 'abc'/,
    );
    await fails(['--input', short, '--formula', FA], 'MODEL_DATA_INVALID', /line 2 has 6 fields, the header has 7/);
    await fails(
      ['--input', `${small}sessions.csv`, '--formula', FB, '--criterion-at', '1,0,1'],
      'MODEL_DATA_INVALID',
      /theta must have 4 values/,
    );
    const err = await analyzeCommand.run(['regress']).catch((e: unknown) => e);
    expect((err as SpiegelError).code).toBe('USAGE');
  });
});
