import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { testApp } from '../testing.ts';
import { buildWorld, nextIp, type World } from '../testing-world.ts';
import { testQuestionnaire } from '../../domain/instruments/test-questionnaire.ts';
import { instrumentsFor } from '../org-instrument-registry.ts';
import { sql } from 'kysely';

// The admin import: report before storing, one error code per bad file, nothing changed on refusal,
// a restricted licence acknowledged and audited, and the running server using the new version at once.
describeEachDialect('organisation instrument import', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let world: World;
  const post = (questionnaire: string, step: 'check' | 'store', acknowledge = false) =>
    world.request(world.callers.admin, 'POST', '/app/admin/instruments/import', {
      body: { questionnaire, step, ...(acknowledge ? { acknowledge: 'true' } : {}) },
      form: true,
      accept: 'text/html',
      remoteAddress: nextIp(),
    });
  const counts = async () => {
    const db = t.store.db;
    const versions = await db.selectFrom('org_instrument_versions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const audit = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('action', 'like', 'instrument.%')
      .executeTakeFirst();
    return { versions: Number(versions?.n), audit: Number(audit?.n) };
  };

  beforeAll(async () => {
    t = await testApp(dialect);
    world = await buildWorld(t.app);
  });
  afterAll(() => t.close());

  it('refuses each bad file with its own code and changes nothing', async () => {
    const before = await counts();
    const good = testQuestionnaire();
    const dup = structuredClone(good);
    dup.item![2].linkId = 't1';
    const cycle = structuredClone(good);
    cycle.item![0].enableWhen = [{ question: 't2', operator: 'exists', answerBoolean: true }];
    cycle.item![1].enableWhen = [{ question: 't1', operator: 'exists', answerBoolean: true }];
    const badUrl = { ...structuredClone(good), url: 'not a uri' };
    const deep = (() => {
      const text = JSON.stringify(good);
      const chain = '{"linkId":"g","type":"group","text":"TEST","item":['.repeat(3000) + '{"linkId":"x","type":"string","text":"TEST"}' + ']}'.repeat(3000);
      return text.slice(0, text.lastIndexOf(']')) + ',' + chain + ']}';
    })();
    const overlay = testQuestionnaire({ id: 'phq9', restricted: false });
    const cases: Array<[string, string, number]> = [
      ['{"resourceType":', 'INSTRUMENT_JSON_INVALID', 400],
      [JSON.stringify({ resourceType: 'Patient' }), 'INSTRUMENT_RESOURCE_TYPE', 422],
      [JSON.stringify(dup), 'INSTRUMENT_LINKID_DUPLICATE', 422],
      [JSON.stringify(cycle), 'INSTRUMENT_ENABLE_WHEN_CYCLE', 422],
      [deep, 'INSTRUMENT_TOO_DEEP', 422],
      [JSON.stringify(badUrl), 'INSTRUMENT_FHIR_INVALID', 422],
      [JSON.stringify(overlay), 'TRANSLATION_MISMATCH', 422],
    ];
    for (const [file, code, status] of cases) {
      for (const step of ['check', 'store'] as const) {
        const res = await post(file, step, true);
        expect([step, res.statusCode, /data-code="([A-Z_]+)"/.exec(res.body)?.[1]]).toEqual([step, status, code]);
      }
    }
    const unacknowledged = await post(JSON.stringify(good), 'store', false);
    expect(unacknowledged.statusCode).toBe(409);
    expect(unacknowledged.body).toContain('data-code="LICENCE_NOT_ACKNOWLEDGED"');
    expect(await counts()).toEqual(before);
  });

  it('shows the report and licence, stores an acknowledged import as version 1, audited, used at once', async () => {
    const file = JSON.stringify(testQuestionnaire());
    const checked = await post(file, 'check');
    expect(checked.statusCode).toBe(200);
    expect(checked.body).toContain('data-testid="import-passed"');
    expect(checked.body).toContain('TEST LICENCE (fixture): non-commercial use only');
    expect(checked.body).toContain('name="acknowledge"');
    expect(await counts()).toMatchObject({ versions: 0 });

    const stored = await post(file, 'store', true);
    expect(stored.statusCode).toBe(303);
    expect(stored.headers.location).toContain('stored=test-only-mood&version=1');
    const again = await post(file, 'store', true);
    expect(again.headers.location).toContain('unchanged=test-only-mood&version=1');

    const rows = await t.store.db.selectFrom('audit_log').select(['action', 'subject_id', 'actor_id']).where('action', 'like', 'instrument.%').execute();
    expect(rows.map((r) => r.action).sort()).toEqual(['instrument.import', 'instrument.licence-acknowledge']);
    expect(rows.every((r) => r.actor_id === world.callers.admin.id && r.subject_id === 'test-only-mood@1')).toBe(true);

    const registry = await instrumentsFor(t.app.ctx, world.orgA);
    expect(registry.version('test-only-mood')).toBe(1);
    const other = await instrumentsFor(t.app.ctx, world.orgB);
    expect(other.has('test-only-mood')).toBe(false);

    const page = await world.request(world.callers.admin, 'GET', '/app/admin/instruments', { accept: 'text/html' });
    expect(page.body).toContain('data-instrument="test-only-mood"');

    // A new version leaves the first untouched; versions cannot be changed in the database.
    const v2 = testQuestionnaire();
    v2.version = '1.0.1';
    expect((await post(JSON.stringify(v2), 'store', true)).headers.location).toContain('version=2');
    expect((await instrumentsFor(t.app.ctx, world.orgA)).version('test-only-mood')).toBe(2);
    await expect(sql`UPDATE org_instrument_versions SET kind = 'translation'`.execute(t.store.db)).rejects.toThrow(/immutable/);
  });
});
