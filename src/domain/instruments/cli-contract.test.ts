// The `spiegel instruments` contract of DESIGN.md ("Interfaces that scripts rely on"), run as a user
// would: node bin/spiegel.js in a child process, with a temporary SPIEGEL_DATA_DIR.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';
import { baseQuestionnaire } from '../../../test/fixtures/instruments/base-questionnaire.ts';
import { FIXTURES, LHC_PHQ9, REPO, numbered, respond, shipped } from '../../../test/fixtures/instruments/load.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'spiegel-instruments-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function spiegel(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'bin/spiegel.js'), 'instruments', ...args], { cwd: REPO, env: { ...process.env, SPIEGEL_DATA_DIR: dataDir } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function file(name: string, content: unknown): string {
  const path = join(dataDir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('spiegel instruments', () => {
  it('prints help for the command and each subcommand', async () => {
    const subs = ['list', 'validate', 'import', 'score'];
    const [main, none, wrong, ...each] = await Promise.all([spiegel('--help'), spiegel(), spiegel('frobnicate'), ...subs.map((sub) => spiegel(sub, '--help'))]);
    expect(main.stdout).toContain('Usage: spiegel instruments');
    expect(none.code).toBe(2);
    expect(wrong.code).toBe(2);
    each.forEach((r, i) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: spiegel instruments ${subs[i]}`);
    });
  });

  it('lists the library as JSON', async () => {
    const r = await spiegel('list', '--json');
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as { id: string; shippedByDefault: boolean }[];
    expect(entries.map((e) => e.id)).toEqual(expect.arrayContaining(['phq9', 'gad7', 'phq4', 'k10', 'brs', 'who5', 'core10', 'spiegel-alliance', 'spiegel-tears']));
  });

  it('validate exits 0 for a valid file and 1 with path-precise errors otherwise', async () => {
    const q = baseQuestionnaire();
    q.item[2].linkId = 'a';
    q.item[0].answerOption[0].valueCoding.code = '1';
    const badFile = file('bad.json', q);
    const [good, bad, json, notJson, missing] = await Promise.all([
      spiegel('validate', join(REPO, 'instruments/phq9.json')),
      spiegel('validate', badFile),
      spiegel('validate', badFile, '--json'),
      spiegel('validate', file('broken.json', '{"resourceType": ')),
      spiegel('validate', join(dataDir, 'nope.json')),
    ]);
    expect(good.code).toBe(0);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/error\s+\/item\/2\/linkId\s+LINKID_DUPLICATE/);
    expect(bad.stdout).toMatch(/error\s+\/item\/0\/answerOption\/1\/valueCoding\s+ANSWER_OPTION_DUPLICATE/);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, issues: expect.arrayContaining([expect.objectContaining({ path: '/item/2/linkId', code: 'LINKID_DUPLICATE' })]) });
    expect(notJson.code).toBe(1);
    expect(notJson.stdout).toContain('JSON_INVALID');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('FILE_UNREADABLE');
  });

  it('validates a response against an instrument', async () => {
    const response = respond(shipped('phq9'), numbered('phq9', [0, 1, 2, 3, 0, 1, 2, 3, 0]));
    response.item![0].answer = [{ valueCoding: { code: 'nope' } }];
    const r = await spiegel('validate', file('response.json', response), '--instrument', 'phq9');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\/item\/0\/answer\/0\/valueCoding\s+ANSWER_NOT_IN_OPTIONS/);
  });

  it('score --json prints scales, bands, reliable-change parameters and risk flags', async () => {
    const q = shipped('phq9');
    const [r, r2, unknown, invalid] = await Promise.all([
      spiegel('score', 'phq9', file('r1.json', respond(q, numbered('phq9', [1, 2, 3, 0, 1, 2, 3, 0, 1]))), '--json'),
      spiegel('score', 'phq9', file('r2.json', respond(q, numbered('phq9', [1, 2, null, null, 1, 2, 3, 0, 0]))), '--json'),
      spiegel('score', 'phq99', file('r0.json', respond(q, {}))),
      spiegel('score', 'phq9', file('r3.json', { resourceType: 'QuestionnaireResponse', status: 'completed', item: [{ linkId: 'zz' }] })),
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.scales[0]).toMatchObject({ id: 'total', value: 13, band: { code: 'moderate' }, reliableChange: { publishedReliableChange: { value: 6 }, cutoff: { value: 10 } } });
    expect(out.risks).toEqual([expect.objectContaining({ code: 'self-harm-thoughts', item: 'phq9-9', answerScore: 1 })]);
    expect(JSON.parse(r2.stdout).scales[0]).toMatchObject({ value: null, status: 'too-many-missing' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('INSTRUMENT_UNKNOWN');
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('ITEM_UNKNOWN');
  });

  it('stores the test-only questionnaire for an organisation, refusing what is not valid R4 or not acknowledged', async () => {
    const store = await openStore({ databaseUrl: null, dataDir, poolMax: 1 });
    await migrate(store.db);
    await store.db.insertInto('organisations').values({ slug: 'cli-org', name: 'CLI org', settings: '{}' }).execute();
    await store.close();
    // The LHC-Forms PHQ-9 is not valid base R4 (variable names with "_", a number as valueString).
    const lhc = await spiegel('import', join(FIXTURES, LHC_PHQ9), '--org', 'cli-org');
    expect(lhc.code).toBe(1);
    expect(lhc.stdout).toContain('INSTRUMENT_FHIR_INVALID');
    const restricted = join(FIXTURES, 'test-only-mood.json');
    const refused = await spiegel('import', restricted, '--org', 'cli-org');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('LICENCE_NOT_ACKNOWLEDGED');
    const ok = await spiegel('import', restricted, '--org', 'cli-org', '--acknowledge-licence');
    expect(ok.stdout).toContain('imported test-only-mood as version 1 for cli-org');
    expect((await spiegel('import', restricted, '--acknowledge-licence')).stdout).toContain('nothing changed');
    const again = await openStore({ databaseUrl: null, dataDir, poolMax: 1 });
    const rows = await again.db.selectFrom('org_instrument_versions').select(['instrument_id', 'version', 'licence_acknowledged_at']).orderBy('instrument_id').execute();
    await again.close();
    expect(rows.map((row) => [row.instrument_id, row.version, row.licence_acknowledged_at !== null])).toEqual([
      ['test-only-mood', 1, true],
    ]);
  }, 180_000); // CLI processes, each a cold start: slow on a loaded 2-core box // five CLI processes, each a cold start: about 32 s alone, over 60 s on a loaded 2-core box
});
