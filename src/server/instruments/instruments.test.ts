import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';
import { usableInstrumentIds } from '../../store/org-instruments.ts';

describeEachDialect('instrument administration', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let admin: Agent;
  let orgId: string;
  beforeAll(async () => {
    t = await testApp(dialect);
    orgId = await createOrg(t.app, 'clinic');
    await createUser(t.app, orgId, 'admin@clinic.test', ['admin']);
    await createUser(t.app, orgId, 'th@clinic.test', ['therapist']);
    admin = new Agent(t.app);
    await admin.login('admin@clinic.test');
  });
  afterAll(() => t.close());

  it('ships the licensed defaults enabled and the restricted ones off', async () => {
    const usable = await usableInstrumentIds(t.store.db, t.app.ctx.instruments, orgId);
    expect(usable.has('phq9')).toBe(true);
    expect(usable.has('spiegel-alliance')).toBe(true);
    expect(usable.has('core10')).toBe(false);
    expect(usable.has('who5')).toBe(false);
  });

  it('refuses to enable a restricted licence without acknowledgement, and enables it with one', async () => {
    const page = await admin.request('GET', '/app/admin/instruments');
    expect(page.body).toContain('CC BY-NC-ND');
    const csrf = await admin.csrf('/app/admin/instruments');
    const refused = await admin.request('POST', '/app/admin/instruments/core10', { form: { enabled: 'true', _csrf: csrf }, headers: { accept: 'application/json' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('LICENCE_NOT_ACKNOWLEDGED'); // a page or JSON, either names the code
    const ok = await admin.request('POST', '/app/admin/instruments/core10', { form: { enabled: 'true', acknowledge: 'true', _csrf: csrf } });
    expect(ok.statusCode).toBe(303);
    expect((await usableInstrumentIds(t.store.db, t.app.ctx.instruments, orgId)).has('core10')).toBe(true);
  });

  it('is for admins only', async () => {
    const therapist = new Agent(t.app);
    await therapist.login('th@clinic.test');
    expect((await therapist.request('GET', '/app/admin/instruments', { headers: { accept: 'application/json' } })).statusCode).toBe(403);
  });
});
