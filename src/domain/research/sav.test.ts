import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.ts';
import { writeSav } from './sav.ts';

// Read back with Debian's PSPP (pspp-convert), which CI installs: labels, missing values, long and
// very long UTF-8 strings must survive.
const dir = mkdtempSync(join(tmpdir(), 'spiegel-sav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pspp(data: Uint8Array, syntax: string): string {
  const sav = join(dir, 'data.sav');
  writeFileSync(sav, data);
  const sps = join(dir, 'show.sps');
  writeFileSync(sps, `GET FILE='${sav}'.\n${syntax}\n`);
  return (
    execFileSync('pspp', ['-O', 'format=txt', '-o', join(dir, 'out.txt'), sps], { encoding: 'utf8' }) +
    readFileSync(join(dir, 'out.txt'), 'utf8')
  );
}

const long = 'Ë'.repeat(300) + 'einde';
const dataset: Dataset = {
  variables: [
    {
      name: 'gender',
      label: 'Geslacht (ë)',
      type: 'numeric',
      width: 0,
      decimals: 0,
      measure: 'nominal',
      valueLabels: [
        { value: 1, label: 'Man' },
        { value: 2, label: 'Vrouw' },
        { value: -9, label: 'geen antwoord' },
      ],
      missing: [-1, -9],
      derivation: null,
      quasiIdentifier: true,
    },
    {
      name: 'attitude_towards_crying',
      label: 'Attitude',
      type: 'numeric',
      width: 0,
      decimals: 2,
      measure: 'scale',
      valueLabels: [],
      missing: [],
      derivation: null,
      quasiIdentifier: false,
    },
    {
      name: 'why',
      label: 'Waarom?',
      type: 'string',
      width: 0,
      decimals: 0,
      measure: 'nominal',
      valueLabels: [],
      missing: [],
      derivation: null,
      quasiIdentifier: false,
    },
  ],
  rows: [
    [1, 4.25, 'kort'],
    [2, null, long],
    [-9, 3.5, ''],
  ],
};

describe('SPSS .sav writer, read back by PSPP', () => {
  const sav = writeSav(dataset, { label: 'Spiegel test', now: new Date('2026-01-02T03:04:05Z') });

  it('keeps variable labels, value labels, user-missing values and long names', () => {
    const out = pspp(sav, 'DISPLAY DICTIONARY.');
    expect(out).toContain('attitude_towards_crying');
    expect(out).toContain('Geslacht (ë)');
    expect(out).toMatch(/Vrouw/);
    expect(out).toMatch(/-1.*-9|-9.*-1/);
  });

  it('keeps the data: system-missing, a UTF-8 very long string (> 255 bytes), the user-missing code', () => {
    const csv = join(dir, 'back.csv');
    writeFileSync(join(dir, 'in.sav'), sav);
    execFileSync('pspp-convert', ['--labels', join(dir, 'in.sav'), csv]);
    const lines = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('gender,attitude_towards_crying,why');
    expect(lines[1]).toBe('Man,4.25,kort');
    expect(lines[2]).toBe(`Vrouw, ,${long}`);
    expect(lines[3]).toMatch(/^geen antwoord,3.50?,/);
  });
});
