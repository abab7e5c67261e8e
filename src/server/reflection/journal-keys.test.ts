import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { open } from '../../store/reflection-crypto.ts';
import { IpAgent } from '../auth/agent-testing.ts';
import { captureMail, linkTokenIn, type SentMail } from '../auth/mail-testing.ts';
import { appKeyring } from '../keyring.ts';
import { createOrg, createUser, TEST_PASSWORD, testApp } from '../testing.ts';

// Decision 0035: each therapist's reflections are sealed under their own journal key, which only their
// password (or their recovery code) unwraps. An admin who sets a therapist's password through a link
// logs in to an empty journal; the therapist opens the old entries again with the previous password
// or the recovery code. docs/security.md cites these tests.

const SECRET = 'Dagboek-geheim-b41c';
const NEW_PASSWORD = 'a brand new password set by link';

describeEachDialect('per-user journal keys (decision 0035)', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let mail: SentMail[];
  let orgId: string;
  let admin: IpAgent;

  beforeAll(async () => {
    t = await testApp(dialect);
    mail = captureMail(t.app);
    orgId = await createOrg(t.app, 'keys', { requireTotp: false });
    await createUser(t.app, orgId, 'admin@keys.test', ['admin']);
    admin = new IpAgent(t.app);
    expect((await admin.login('admin@keys.test')).statusCode).toBe(303);
  });
  afterAll(() => t.close());

  async function therapistWithEntry(email: string): Promise<{ agent: IpAgent; userId: string; entryId: string }> {
    const userId = await createUser(t.app, orgId, email, ['therapist']);
    const agent = new IpAgent(t.app);
    expect((await agent.login(email)).statusCode).toBe(303);
    await agent.request('GET', '/app/journal/new');
    const created = await agent.post('/app/journal', { template: 'free', title: SECRET, field_text: SECRET });
    expect(created.statusCode).toBe(303);
    return { agent, userId, entryId: created.headers.location!.split('/').pop()! };
  }

  /** The admin mints a password link (as without SMTP, when the admin sees it) and sets a password. */
  async function adminSetsPassword(email: string, userId: string): Promise<IpAgent> {
    await admin.request('GET', '/app/admin/users');
    expect((await admin.post(`/app/admin/users/${userId}/password-link`, {})).statusCode).toBe(200);
    const token = linkTokenIn(mail, email);
    const intruder = new IpAgent(t.app);
    await intruder.request('GET', `/password/set/${token}`);
    expect(
      (await intruder.post('/password/set', { token, password: NEW_PASSWORD, repeat: NEW_PASSWORD })).statusCode,
    ).toBe(303);
    expect((await intruder.login(email, NEW_PASSWORD)).statusCode).toBe(303);
    return intruder;
  }

  it('stores entries under the therapist’s own key, which the instance key does not open', async () => {
    const { userId } = await therapistWithEntry('own@keys.test');
    const rows = await t.app.ctx.store.db
      .selectFrom('journal_entries')
      .selectAll()
      .where('user_id', '=', userId)
      .execute();
    const instance = appKeyring(t.app);
    expect(rows).toHaveLength(1);
    expect(instance.keys.has(rows[0].key_id)).toBe(false);
    expect(rows[0].ciphertext).not.toContain(SECRET);
    const keys = await t.app.ctx.store.db
      .selectFrom('journal_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .execute();
    expect(keys.map((k) => [k.id, k.status])).toEqual([[rows[0].key_id, 'current']]);
    // Only wrapped forms: salt, then an AES-GCM ciphertext; no recovery code until one is asked for.
    expect(keys[0].by_password).toMatch(/^[A-Za-z0-9+/]{22}==:v1\.[A-Za-z0-9+/=]+$/);
    expect(keys[0].by_recovery).toBeNull();
    expect(() => open(instance, { keyId: instance.current.id, ciphertext: rows[0].ciphertext }, 'x')).toThrow();
  });

  it('an admin who resets a password through a link cannot read the journal; the old password opens it again', async () => {
    const { agent, userId, entryId } = await therapistWithEntry('reset@keys.test');
    const intruder = await adminSetsPassword('reset@keys.test', userId);
    const list = await intruder.request('GET', '/app/journal');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(SECRET);
    expect(list.body).toContain('data-testid="journal-locked"');
    const entry = await intruder.request('GET', `/app/journal/${entryId}`);
    expect(entry.statusCode).toBe(423);
    expect(entry.body).not.toContain(SECRET);
    const api = await intruder.request('GET', '/api/reflection/journal');
    expect(api.body).not.toContain(SECRET);
    // The owner was told by mail, and the old session ended with the reset.
    expect(mail.filter((m) => m.to === 'reset@keys.test').length).toBeGreaterThanOrEqual(2);
    expect((await agent.request('GET', '/app/journal')).statusCode).not.toBe(200);
    // A wrong secret opens nothing; the previous password opens the old key.
    await intruder.request('GET', '/app/journal');
    expect((await intruder.post('/app/journal/unlock', { secret: 'guess guess guess' })).headers.location).toContain(
      'unlock-failed',
    );
    expect((await intruder.post('/app/journal/unlock', { secret: TEST_PASSWORD })).headers.location).toContain(
      'notice=unlocked',
    );
    expect((await intruder.request('GET', `/app/journal/${entryId}`)).body).toContain(SECRET);
    const after = await intruder.request('GET', '/app/journal');
    expect(after.body).not.toContain('data-testid="journal-locked"');
  });

  it('a recovery code, shown once, opens the old entries after a reset', async () => {
    const { agent, userId, entryId } = await therapistWithEntry('recover@keys.test');
    await agent.request('GET', '/app/journal');
    const shown = await agent.post('/app/journal/recovery-code', {});
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['cache-control']).toBe('no-store');
    const code = /data-testid="recovery-code">([0-9A-Z-]+)</.exec(shown.body)![1];
    expect(code).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    const stored = await t.app.ctx.store.db
      .selectFrom('journal_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .execute();
    expect(JSON.stringify(stored)).not.toContain(code.replace(/-/g, ''));
    const owner = await adminSetsPassword('recover@keys.test', userId);
    expect((await owner.request('GET', `/app/journal/${entryId}`)).statusCode).toBe(423);
    await owner.request('GET', '/app/journal');
    // Typed by hand: lower case, spaces instead of dashes.
    const typed = code.toLowerCase().replace(/-/g, ' ');
    expect((await owner.post('/app/journal/unlock', { secret: typed })).headers.location).toContain('notice=unlocked');
    expect((await owner.request('GET', `/app/journal/${entryId}`)).body).toContain(SECRET);
  });

  it('a password change keeps the journal readable: the key is rewrapped, not replaced', async () => {
    const { agent, userId, entryId } = await therapistWithEntry('change@keys.test');
    await agent.request('GET', '/app/account');
    const changed = await agent.post('/app/account/password', {
      current: TEST_PASSWORD,
      password: NEW_PASSWORD,
      repeat: NEW_PASSWORD,
    });
    expect(changed.statusCode).toBe(303);
    expect((await agent.request('GET', `/app/journal/${entryId}`)).body).toContain(SECRET); // the rotated session
    const again = new IpAgent(t.app);
    expect((await again.login('change@keys.test', NEW_PASSWORD)).statusCode).toBe(303);
    expect((await again.request('GET', `/app/journal/${entryId}`)).body).toContain(SECRET);
    const keys = await t.app.ctx.store.db
      .selectFrom('journal_keys')
      .select('status')
      .where('user_id', '=', userId)
      .execute();
    expect(keys).toEqual([{ status: 'current' }]);
  });

  it('a session without a journal key is asked to log in again, in the user’s language', async () => {
    const { agent, userId } = await therapistWithEntry('nokey@keys.test');
    await t.app.ctx.store.db
      .updateTable('staff_sessions')
      .set({ journal_key: null })
      .where('user_id', '=', userId)
      .execute();
    const page = await agent.request('GET', '/app/journal?lang=nl', { headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(401);
    expect(page.body).toContain('Log opnieuw in om je reflecties te openen');
  });

  it('a supervisor reads a shared entry from its own copy, and sees the owner’s edits', async () => {
    const supervisorId = await createUser(t.app, orgId, 'sup@keys.test', ['supervisor']);
    const { agent, entryId } = await therapistWithEntry('sharer@keys.test');
    await agent.request('GET', `/app/journal/${entryId}`);
    await agent.post('/app/reflection/shares', { itemType: 'journal_entry', itemId: entryId, supervisorId });
    await agent.request('GET', `/app/journal/${entryId}/edit`);
    await agent.post(`/app/journal/${entryId}`, { title: `${SECRET} bewerkt`, field_text: 'nieuw' });
    const supervisor = new IpAgent(t.app);
    await supervisor.login('sup@keys.test');
    const shared = await supervisor.request('GET', '/app/shared');
    expect(shared.statusCode).toBe(200);
    expect(shared.body).toContain(`${SECRET} bewerkt`);
  });
});
