import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { CLIENT_DATA_TABLES, tablesReferencingClientData } from '../../store/gdpr.ts';
import { sealAuditTrail } from '../../store/audit.ts';
import { applyClientRetention, verifyAuditTrail } from '../../store/retention.ts';
import { describeEachDialect } from '../../store/testing.ts';
import { buildWorld, nextIp, type World } from '../testing-world.ts';
import { testApp } from '../testing.ts';
import { CLIENT_CODE_SYSTEM } from '../../domain/gdpr/fhir.ts';
import { checkFhirResource } from '../fhir-schema.ts';

interface Entry {
  fullUrl: string;
  resource: Record<string, unknown> & { resourceType: string };
}

describeEachDialect('GDPR export and erasure', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let world: World;
  const therapist = () => world.callers.therapist;
  const count = async (table: (typeof CLIENT_DATA_TABLES)[number], column: 'episode_id' | 'id', value: string) =>
    (
      await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${value}`.execute(t.store.db)
    ).rows[0].n;

  beforeAll(async () => {
    t = await testApp(dialect);
    world = await buildWorld(t.app);
  });
  afterAll(() => t.close());

  it('keeps the erasure list complete: every table that references client data is erased (guards new tables)', async () => {
    const referencing = await tablesReferencingClientData(t.store.db);
    expect(referencing, 'Add the new table to CLIENT_DATA_TABLES and eraseClient in src/store/gdpr.ts').toEqual(
      [...CLIENT_DATA_TABLES].sort(),
    );
  });

  it('exports a client as a FHIR Bundle: Patient with only the pseudonymous code, EpisodeOfCare, responses as stored, score Observations', async () => {
    const res = await world.request(therapist(), 'GET', `/api/gdpr/clients/${world.id('client', 'own')}/bundle`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    expect(res.headers['content-disposition']).toContain('attachment');
    const bundle = res.json() as { resourceType: string; type: string; entry: Entry[] };
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const byType = (type: string) =>
      bundle.entry.filter((e) => e.resource.resourceType === type).map((e) => e.resource);
    const [patient] = byType('Patient');
    expect(patient).toEqual({
      resourceType: 'Patient',
      id: world.id('client', 'own'),
      identifier: [{ system: CLIENT_CODE_SYSTEM, value: world.records.own.clientCode }],
    });
    expect(JSON.stringify(bundle)).not.toContain('alias');
    expect(byType('EpisodeOfCare')).toEqual([
      expect.objectContaining({
        status: 'active',
        period: { start: '2024-01-08' },
        patient: { reference: `urn:uuid:${world.id('client', 'own')}` },
      }),
    ]);
    const [qr] = byType('QuestionnaireResponse');
    expect(
      checkFhirResource(bundle, 'Bundle', ['Patient', 'EpisodeOfCare', 'QuestionnaireResponse', 'Observation']),
    ).toEqual([]);
    expect(qr).toEqual({
      resourceType: 'QuestionnaireResponse',
      id: world.id('response', 'own'),
      questionnaire: 'https://spiegel.example/fhir/Questionnaire/phq9|1.0.0',
      subject: { reference: `urn:uuid:${world.id('client', 'own')}` },
      status: 'completed',
      authored: '2024-01-08T10:00:00Z',
      item: [
        {
          linkId: 'phq9-1',
          text: 'Little interest',
          answer: [{ valueCoding: { code: '1', display: 'Several days' } }],
        },
      ],
    });
    const [item, obs] = byType('Observation');
    expect(item).toMatchObject({
      code: { coding: [{ system: 'http://loinc.org', code: '44250-9' }] },
      valueCodeableConcept: { coding: [{ code: '1', display: 'Several days' }] },
      derivedFrom: [{ reference: `urn:uuid:${world.id('response', 'own')}` }],
    });
    expect(obs).toMatchObject({
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '44261-6' }, { code: 'phq9/total' }] },
      subject: { reference: `urn:uuid:${world.id('client', 'own')}` },
      valueQuantity: { value: 11 },
      derivedFrom: [{ reference: `urn:uuid:${world.id('response', 'own')}` }],
      interpretation: [{ coding: [{ code: 'moderate' }] }],
    });
    for (const e of bundle.entry) expect(e.fullUrl).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const trail = await t.store.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id', 'details'])
      .where('action', '=', 'gdpr.export')
      .execute();
    expect(trail).toEqual([
      { action: 'gdpr.export', subject_id: world.id('client', 'own'), details: { format: 'fhir', responses: 1 } },
    ]);
  });

  it('shows the same data as a readable page with an erasure form; the admin may not see it', async () => {
    const res = await world.request(therapist(), 'GET', `/app/gdpr/clients/${world.id('client', 'own')}`, {
      accept: 'text/html',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(world.records.own.clientCode);
    expect(res.body).toContain('Little interest');
    expect(res.body).toContain('Several days');
    expect(res.body).toContain(`action="/api/gdpr/clients/${world.id('client', 'own')}/erase"`);
    expect(
      (await world.request(world.callers.admin, 'GET', `/app/gdpr/clients/${world.id('client', 'own')}`)).statusCode,
    ).toBe(403);
    expect(
      (await world.request(world.callers.admin, 'GET', `/api/gdpr/clients/${world.id('client', 'own')}/bundle`))
        .statusCode,
    ).toBe(403);
  });

  it('erases nothing on a wrong confirmation, and everything of the client — audited with counts — on the right one; the audit rows about the client keep no details and the chain verifies', async () => {
    const clientId = world.id('client', 'own');
    const episodeId = world.id('episode', 'own');
    const aboutClient = () =>
      t.store.db
        .selectFrom('audit_log')
        .select(['action', 'details', 'details_hash', 'chain_pos'])
        .where((eb) =>
          eb.or([
            eb.and([eb('subject_type', '=', 'client'), eb('subject_id', '=', clientId)]),
            eb.and([eb('subject_type', '=', 'episode'), eb('subject_id', '=', episodeId)]),
          ]),
        )
        .where((eb) => eb.not(eb.and([eb('action', '=', 'gdpr.erase'), eb('outcome', '=', 'ok')])))
        .execute();
    // Sealed rows (the chain commits to a hash of their details) and one pending row.
    await sealAuditTrail(t.store.db);
    await world.request(therapist(), 'GET', `/app/gdpr/clients/${clientId}`, { accept: 'text/html' });
    const before = await aboutClient();
    expect(before.filter((r) => r.chain_pos !== null && r.details_hash !== null).length).toBeGreaterThan(0);
    expect(before.filter((r) => r.chain_pos === null).length).toBeGreaterThan(0);
    expect(before.filter((r) => r.details !== null).length).toBe(before.length);
    const wrong = await world.request(therapist(), 'POST', `/api/gdpr/clients/${clientId}/erase`, {
      body: { confirmCode: 'W-nope' },
      remoteAddress: nextIp(),
    });
    expect(wrong.statusCode).toBe(422);
    expect(await count('clients', 'id', clientId)).toBe(1);
    const other = await world.request(world.therapistA2, 'POST', `/api/gdpr/clients/${clientId}/erase`, {
      body: { confirmCode: world.records.own.clientCode },
      remoteAddress: nextIp(),
    });
    expect(other.statusCode).toBe(404);
    const ok = await world.request(therapist(), 'POST', `/api/gdpr/clients/${clientId}/erase`, {
      body: { confirmCode: world.records.own.clientCode },
      remoteAddress: nextIp(),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      erased: true,
      counts: {
        invitation_sends: 0,
        participant_contacts: 1,
        scores: 1,
        alerts: 1,
        responses: 1,
        invitations: 1,
        therapy_sessions: 1,
        measurement_plans: 1,
        participants: 1,
        episodes: 1,
        clients: 1,
      },
    });
    for (const table of [
      'scores',
      'alerts',
      'responses',
      'invitations',
      'therapy_sessions',
      'measurement_plans',
      'participants',
    ] as const)
      expect(await count(table, 'episode_id', episodeId)).toBe(0);
    expect(await count('episodes', 'id', episodeId)).toBe(0);
    expect(await count('clients', 'id', clientId)).toBe(0);
    expect(await count('clients', 'id', world.id('client', 'other'))).toBe(1);
    const row = await t.store.db
      .selectFrom('audit_log')
      .select(['actor_id', 'outcome', 'details'])
      .where('action', '=', 'gdpr.erase')
      .where('subject_id', '=', clientId)
      .where('outcome', '=', 'ok')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      actor_id: therapist().id,
      details: { reason: 'request', counts: { clients: 1 } },
    });
    const after = await aboutClient(); // now also the refused erasure with the wrong code
    expect(after.length).toBe(before.length + 1);
    expect((row.details as { auditDetailsErased: number }).auditDetailsErased).toBe(after.length);
    expect(after.map((r) => r.details)).toEqual(after.map(() => null));
    expect(await sealAuditTrail(t.store.db)).toBeGreaterThan(0);
    expect(await verifyAuditTrail(t.store.db)).toMatchObject({ pending: 0, problems: [] });
    expect((await aboutClient()).every((r) => r.details === null && r.details_hash !== null)).toBe(true);
  });

  it('lets the admin find a client by code (counts only) and erase it; never another organisation’s', async () => {
    const admin = world.callers.admin;
    const code = world.records.other.clientCode;
    const page = await world.request(admin, 'GET', `/app/admin/erasure?code=${code}`, { accept: 'text/html' });
    expect(page.body).toContain(`/api/gdpr/clients/${world.id('client', 'other')}/erase`);
    expect(page.body).not.toContain('Little interest'); // no clinical content
    const foreign = await world.request(admin, 'GET', `/app/admin/erasure?code=${world.records.foreign.clientCode}`, {
      accept: 'text/html',
    });
    expect(foreign.body).not.toContain(world.id('client', 'foreign'));
    const erased = await world.request(admin, 'POST', `/api/gdpr/clients/${world.id('client', 'other')}/erase`, {
      body: { confirmCode: code },
      form: true,
      accept: 'text/html',
      remoteAddress: nextIp(),
    });
    expect(erased.statusCode).toBe(200);
    expect(erased.body).toContain(code);
    expect(await count('clients', 'id', world.id('client', 'other'))).toBe(0);
  });

  it('runs client retention only where configured: clients whose episodes all ended long ago are erased', async () => {
    const foreignClient = world.id('client', 'foreign');
    await t.store.db
      .updateTable('episodes')
      .set({ status: 'completed', ended_on: '2015-06-30' })
      .where('client_id', '=', foreignClient)
      .execute();
    expect(await applyClientRetention(t.store.db)).toEqual({ erased: 0 }); // off by default
    await t.store.db
      .updateTable('organisations')
      .set({ settings: JSON.stringify({ clientRetentionYears: 20 }) })
      .where('id', '=', world.orgB)
      .execute();
    expect(await applyClientRetention(t.store.db)).toEqual({ erased: 0 }); // ended 2015: within 20 years
    await t.store.db
      .updateTable('organisations')
      .set({ settings: JSON.stringify({ clientRetentionYears: 5 }) })
      .where('id', '=', world.orgB)
      .execute();
    expect(await applyClientRetention(t.store.db)).toEqual({ erased: 1 });
    expect(await count('clients', 'id', foreignClient)).toBe(0);
    const row = await t.store.db
      .selectFrom('audit_log')
      .select(['actor_role', 'details'])
      .where('action', '=', 'gdpr.erase')
      .where('subject_id', '=', foreignClient)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_role: 'system', details: { reason: 'retention' } });
  });
});
