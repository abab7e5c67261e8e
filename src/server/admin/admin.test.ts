import { afterAll, beforeAll, expect, it } from 'vitest';
import { AUDIT_TIME_ZONE } from '../audit/search.ts';
import { sql } from 'kysely';
import { audit } from '../../store/audit.ts';
import { describeEachDialect } from '../../store/testing.ts';
import { readOrgSettings } from '../../store/users.ts';
import { Mailer } from '../auth/mailer.ts';
import { buildWorld, nextIp, type World } from '../testing-world.ts';
import { testApp } from '../testing.ts';
import { csvField } from '../audit/search.ts';

describeEachDialect('administration: users, settings, audit viewer', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let world: World;
  const admin = () => world.callers.admin;
  const form = (url: string, body: Record<string, unknown>) =>
    world.request(admin(), 'POST', url, { body, form: true, remoteAddress: nextIp() });

  beforeAll(async () => {
    t = await testApp(dialect);
    world = await buildWorld(t.app);
    t.app.mailer = new Mailer(null, 'x@y'); // no SMTP: links are shown to the admin
    // Audit rows of both organisations, with hostile content for the CSV.
    await audit(t.store.db, {
      orgId: world.orgA,
      actorId: world.callers.therapist.id,
      actorRole: 'therapist',
      action: 'episode.read',
      subjectType: 'episode',
      subjectId: world.id('episode', 'own'),
      ip: '=cmd|calc',
      outcome: 'ok',
      details: { note: '+SUM(A1)' },
    });
    await audit(t.store.db, {
      orgId: world.orgB,
      actorId: world.therapistB.id,
      actorRole: 'therapist',
      action: 'episode.read',
      subjectType: 'episode',
      subjectId: world.id('episode', 'foreign'),
      outcome: 'ok',
    });
  });
  afterAll(() => t.close());

  it('lists the organisation’s users only (ASVS 4.2.1: no other organisation’s accounts)', async () => {
    const res = await world.request(admin(), 'GET', '/app/admin/users', { accept: 'text/html' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(world.callers.therapist.email);
    expect(res.body).not.toContain(world.therapistB.email);
    expect(res.body).not.toContain(world.adminB.email);
  });

  it('invites a staff member; without SMTP the admin sees the single-use link; a taken address is refused', async () => {
    const res = await form('/app/admin/users', {
      email: 'Newcomer@World.test',
      displayName: 'Newcomer',
      roles: 'supervisor',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/\/password\/set\/[A-Za-z0-9_-]{43}/);
    const user = await t.store.db
      .selectFrom('users')
      .select(['roles', 'password_hash', 'org_id'])
      .where('email', '=', 'Newcomer@World.test')
      .executeTakeFirstOrThrow();
    expect(user).toEqual({ roles: ['supervisor'], password_hash: null, org_id: world.orgA });
    const again = await form('/app/admin/users', {
      email: 'newcomer@world.test',
      displayName: 'Again',
      roles: 'therapist',
    });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('class="error"');
  });

  it('an address with an account in another organisation answers like an invitation: no 409, nothing created', async () => {
    const res = await form('/app/admin/users', {
      email: world.therapistB.email.toUpperCase(),
      displayName: 'Elsewhere',
      roles: 'therapist',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('class="error"');
    const rows = await t.store.db
      .selectFrom('users')
      .select('org_id')
      .where(sql<boolean>`lower(email) = ${world.therapistB.email.toLowerCase()}`)
      .execute();
    expect(rows).toEqual([{ org_id: world.orgB }]);
  });

  it('changes roles (several at once), refuses to let admins lock themselves out', async () => {
    const res = await world.request(admin(), 'POST', `/app/admin/users/${world.therapistA2.id}`, {
      body: { roles: ['therapist', 'supervisor'], active: 'true' },
      form: false,
      remoteAddress: nextIp(),
    });
    expect(res.json()).toEqual({ ok: true, changed: true });
    const self = await world.request(admin(), 'POST', `/app/admin/users/${admin().id}`, {
      body: { roles: ['manager'], active: true },
      remoteAddress: nextIp(),
    });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe('SELF_LOCKOUT');
    const revert = await world.request(admin(), 'POST', `/app/admin/users/${world.therapistA2.id}`, {
      body: { roles: 'therapist', active: true },
      remoteAddress: nextIp(),
    });
    expect(revert.json().changed).toBe(true);
  });

  it('saves the security settings, keeping the settings other features own, and audits the change', async () => {
    await t.store.db
      .updateTable('organisations')
      .set({ settings: JSON.stringify({ requireTotp: false, crisisContacts: [{ name: 'x' }] }) })
      .where('id', '=', world.orgA)
      .execute();
    const res = await form('/app/admin/settings', {
      requireTotp: 'false',
      auditRetentionDays: '365',
      clientRetentionYears: '',
    });
    expect(res.statusCode).toBe(200);
    expect(await readOrgSettings(t.store.db, world.orgA)).toEqual({
      requireTotp: false,
      crisisContacts: [{ name: 'x' }],
      auditRetentionDays: 365,
      clientRetentionYears: null,
    });
    const bad = await form('/app/admin/settings', {
      requireTotp: 'false',
      auditRetentionDays: '10',
      clientRetentionYears: '',
    });
    expect(bad.statusCode).toBe(400);
    const row = await t.store.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'org.settings.update')
      .executeTakeFirstOrThrow();
    expect(row.details).toMatchObject({ to: { auditRetentionDays: 365 } });
  });

  it('filters the audit trail by actor, action, subject, dates and outcome, within the organisation only', async () => {
    const get = async (query: string) =>
      (await world.request(admin(), 'GET', `/app/admin/audit?${query}`, { accept: 'text/html' })).body;
    const episode = world.id('episode', 'own');
    expect(await get(`actor=${encodeURIComponent(world.callers.therapist.email)}`)).toContain(episode);
    expect(await get(`actor=${world.callers.therapist.id}&action=episode.`)).toContain(episode);
    expect(await get(`subject=${episode}&outcome=ok`)).toContain('episode.read');
    expect(await get('action=nothing.like.this')).toContain('<p>');
    // The filter reads dates as Amsterdam days (AUDIT_TIME_ZONE); the UTC date differs an hour or two a day.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: AUDIT_TIME_ZONE }).format(new Date());
    expect(await get(`from=${today}&to=${today}&action=episode.`)).toContain(episode);
    expect(await get('from=2000-01-01&to=2000-01-02&action=episode.')).not.toContain(episode);
    const all = await get('');
    expect(all).not.toContain(world.id('episode', 'foreign'));
    expect((await world.request(admin(), 'GET', '/app/admin/audit?from=2024-02-30')).statusCode).toBe(400);
  });

  it('exports the audit trail as CSV with formula injection neutralised (ASVS 5.3.x output encoding)', async () => {
    const res = await world.request(admin(), 'GET', '/app/admin/audit.csv?action=episode.');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="spiegel-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const body = res.body.replace(/^\uFEFF/, '');
    const [header, ...rows] = body.trim().split('\r\n');
    expect(header).toBe(
      'seq,at,actor_id,actor_email,actor_role,action,subject_type,subject_id,ip,outcome,details,hash',
    );
    expect(rows).toHaveLength(1); // org B's row is not there
    expect(rows[0]).toContain(`"'=cmd|calc"`);
    expect(csvField('a "quoted" text')).toBe('"a ""quoted"" text"');
    expect(csvField('@SUM(1)')).toBe(`"'@SUM(1)"`);
    const actions = (
      await sql<{ action: string }>`SELECT action FROM audit_log WHERE org_id = ${world.orgA}`.execute(t.store.db)
    ).rows.map((r) => r.action);
    expect(actions).toContain('audit.export');
    expect(actions).toContain('audit.view');
  });
});
