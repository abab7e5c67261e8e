import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { describeEachDialect } from '../../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';

// Complete erasure (issue 21): after a client is erased, neither the database nor a backup taken
// afterwards holds the client's alias, code, contact address or the IP its form was sent from.

const CODE = 'ERASE-QZ7X';
const ALIAS = 'Zeldzaamalias Qwv';
const EMAIL = 'zeldzaam.qwv@example.org';
const IP = '198.51.100.77';

describeEachDialect('erasure leaves nothing behind', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let therapist: Agent;
  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'erase');
    await createUser(t.app, org, 'thera@erase.test', ['therapist']);
    therapist = new Agent(t.app, '10.8.0.1');
    await therapist.login('thera@erase.test');
  }, 120_000);
  afterAll(() => t.close());

  /** Every text value in every table of the public schema, as one string. */
  async function everything(): Promise<string> {
    const tables = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(t.store.db);
    let all = '';
    for (const { name } of tables.rows) {
      const rows = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(name)} t`.execute(t.store.db);
      all += rows.rows.map((r) => r.row).join('\n');
    }
    return all;
  }

  it('the database and a fresh backup hold no alias, code, contact or IP of the erased client', async () => {
    const form = async (url: string, fields: Record<string, string>, page: string) =>
      therapist.request('POST', url, { form: { ...fields, _csrf: await therapist.csrf(page) } });
    expect((await form('/app/clients', { code: CODE, alias: ALIAS }, '/app/clients')).statusCode).toBe(303);
    const client = await t.store.db
      .selectFrom('clients')
      .select('id')
      .where('code', '=', CODE)
      .executeTakeFirstOrThrow();
    const created = await form(
      `/app/clients/${client.id}/episodes`,
      {
        modality: 'individual',
        startedOn: '2026-11-02',
        p0_label: 'Cliënt',
        p0_email: EMAIL,
        plan_phq9: 'every_session',
      },
      `/app/clients/${client.id}/episodes/new`,
    );
    expect(created.statusCode).toBe(303);
    const participant = await t.store.db
      .selectFrom('participants')
      .innerJoin('episodes', 'episodes.id', 'participants.episode_id')
      .select(['participants.id', 'participants.episode_id'])
      .where('episodes.client_id', '=', client.id)
      .executeTakeFirstOrThrow();
    const csrf = await therapist.csrf('/app');
    const invitation = await therapist.request('POST', `/api/episodes/${participant.episode_id}/invitations`, {
      json: { participantId: participant.id },
      headers: { 'x-csrf-token': csrf },
    });
    expect(invitation.statusCode).toBe(201);
    const token = /\/m\/([A-Za-z0-9_-]{20,})/.exec(invitation.body)![1];
    const answers: Record<string, string> = { submission_key: 'erase-submission-key-0001' };
    for (let i = 1; i <= 9; i++) answers[`q0.phq9-${i}`] = '1';
    const submitted = await t.app.inject({
      method: 'POST',
      url: `/m/${token}`,
      remoteAddress: IP,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(answers).toString(),
    });
    expect(submitted.statusCode).toBe(200);
    expect(await everything()).toContain(CODE);

    const erased = await therapist.request('POST', `/api/gdpr/clients/${client.id}/erase`, {
      json: { confirmCode: CODE },
      headers: { 'x-csrf-token': csrf },
    });
    expect(erased.statusCode).toBe(200);

    const db = await everything();
    for (const value of [CODE, ALIAS, EMAIL, IP]) expect(db, value).not.toContain(value);
    if (t.store.pglite) {
      // A backup of the data directory taken now (as `spiegel backup` makes it: CHECKPOINT, then a dump).
      await sql`CHECKPOINT`.execute(t.store.db);
      const dump = gunzipSync(Buffer.from(await (await t.store.pglite.dumpDataDir('gzip')).arrayBuffer()));
      const files = untar(dump);
      expect(files.size).toBeGreaterThan(100);
      for (const [name, bytes] of files) {
        for (const value of [CODE, ALIAS, EMAIL, IP])
          expect(bytes.includes(Buffer.from(value)), `${value} in ${name}`).toBe(false);
      }
      // The scrubbed database keeps working, and the backup restores.
      expect((await form('/app/clients', { code: 'AFTER-1', alias: '' }, '/app/clients')).statusCode).toBe(303);
      const restored = new PGlite({ loadDataDir: await t.store.pglite.dumpDataDir('gzip') });
      const count = await restored.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM clients WHERE code = 'AFTER-1'",
      );
      expect(count.rows[0].n).toBe(1);
      await restored.close();
    }
  });
});

/** The files of a (ustar) tar archive, by name. */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= tar.length;) {
    const name = tar
      .subarray(at, at + 100)
      .toString('latin1')
      .replace(/\0.*$/s, '');
    if (!name) break;
    const prefix = tar
      .subarray(at + 345, at + 500)
      .toString('latin1')
      .replace(/\0.*$/s, '');
    const size = parseInt(
      tar
        .subarray(at + 124, at + 136)
        .toString('latin1')
        .replace(/\0.*$/s, '')
        .trim() || '0',
      8,
    );
    files.set(prefix ? `${prefix}/${name}` : name, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
