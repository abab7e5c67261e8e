import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { brotliDecompressSync } from 'node:zlib';
import { describeEachDialect } from '../../store/testing.ts';
import { Agent, createOrg, createUser, testApp } from '../testing.ts';
import { FORM_STYLE_SOURCE } from '../../web/form/style.ts';

/** Form fields for a PHQ-9 with the given item answers (indexes 0–3) and the alliance items (0–10). */
function fields(phq9: number[], alliance: number[], key: string): Record<string, string> {
  const out: Record<string, string> = { submission_key: key };
  phq9.forEach((v, i) => (out[`q0.phq9-${i + 1}`] = String(v)));
  ['bond', 'goals', 'approach', 'overall'].forEach((name, i) => (out[`q1.alliance-${name}`] = String(alliance[i])));
  return out;
}

describeEachDialect('client measures', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let therapist: Agent;
  let other: Agent;
  let csrf: string;
  let episodeId: string;
  let participantId: string;

  beforeAll(async () => {
    t = await testApp(dialect);
    const org = await createOrg(t.app, 'clinic');
    await createUser(t.app, org, 'anna@clinic.test', ['therapist']);
    await createUser(t.app, org, 'bert@clinic.test', ['therapist']);
    therapist = new Agent(t.app);
    await therapist.login('anna@clinic.test');
    csrf = await therapist.csrf('/app');
    other = new Agent(t.app);
    await other.login('bert@clinic.test');
    const client = await therapist.request('POST', '/api/clients', {
      json: { code: 'C-001', alias: 'J.' },
      headers: { 'x-csrf-token': csrf },
    });
    expect(client.statusCode).toBe(201);
    const episode = await therapist.request('POST', '/api/episodes', {
      json: {
        clientId: client.json().id,
        modality: 'individual',
        startedOn: '2026-01-05',
        plans: [
          { instrumentId: 'phq9', schedule: 'every_session' },
          { instrumentId: 'spiegel-alliance', schedule: 'every_session' },
        ],
      },
      headers: { 'x-csrf-token': csrf },
    });
    expect(episode.statusCode).toBe(201);
    episodeId = episode.json().id;
    const detail = await therapist.request('GET', `/api/episodes/${episodeId}`);
    participantId = detail.json().participants[0].id;
  });
  afterAll(() => t.close());

  async function invite(sessionNumber: number) {
    const res = await therapist.request('POST', `/api/episodes/${episodeId}/invitations`, {
      json: { participantId, sessionNumber },
      headers: { 'x-csrf-token': csrf },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; url: string; qrSvg: string; instrumentIds: string[] };
  }

  it('issues an invitation with a link, a QR code and the planned instruments, storing only a hash', async () => {
    const inv = await invite(1);
    expect(inv.instrumentIds).toEqual(['phq9', 'spiegel-alliance']);
    expect(inv.qrSvg).toMatch(/^<svg/);
    const token = inv.url.split('/m/')[1];
    expect(token.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits in base64url
    const stored = await sql<{ n: number }>`SELECT count(*) AS n FROM invitations WHERE token_hash = ${token}`.execute(
      t.store.db,
    );
    expect(stored.rows[0].n).toBe(0);
  });

  it('shows the form, stores one response per instrument on submit, and replays a retry', async () => {
    const inv = await invite(1);
    const path = new URL(inv.url).pathname;
    const form = await t.app.inject(path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="q0.phq9-1"');
    expect(form.body).toContain('Pfizer');
    // The inline stylesheet is allowed by its hash, never by 'unsafe-inline'.
    expect(form.headers['content-security-policy']).toContain(`style-src 'self' ${FORM_STYLE_SOURCE}`);
    expect(form.headers['content-security-policy']).not.toContain('unsafe-inline');
    const body = new URLSearchParams(
      fields([1, 1, 2, 1, 1, 1, 1, 0, 0], [8, 8, 7, 8], 'key-aaaaaaaaaaaaaaaa'),
    ).toString();
    const submit = () =>
      t.app.inject({
        method: 'POST',
        url: path,
        payload: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const [first, second] = await Promise.all([submit(), submit()]);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(first.body).toContain('id="thanks"');
    expect(second.body).toContain('id="thanks"');
    const responses = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM responses WHERE invitation_id = ${inv.id}`.execute(t.store.db);
    expect(responses.rows[0].n).toBe(2);
    const total = await sql<{
      value: number;
    }>`SELECT s.value FROM scores s JOIN responses r ON r.id = s.response_id WHERE r.invitation_id = ${inv.id} AND s.scale_id = 'total' AND r.instrument_id = 'phq9'`.execute(
      t.store.db,
    );
    expect(total.rows[0].value).toBe(8);
    // another submission key on a used link: the same friendly invalid page, nothing stored
    const again = await t.app.inject({
      method: 'POST',
      url: path,
      payload: new URLSearchParams(
        fields([0, 0, 0, 0, 0, 0, 0, 0, 0], [9, 9, 9, 9], 'key-bbbbbbbbbbbbbbbb'),
      ).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(again.statusCode).toBe(404);
    expect((await t.app.inject(path)).statusCode).toBe(404);
  });

  it('refuses an answer that was not offered, naming the question and storing nothing', async () => {
    const inv = await invite(2);
    const path = new URL(inv.url).pathname;
    const partial = fields([1, 1, 1, 1, 1, 1, 1, 1, 0], [8, 8, 8, 8], 'key-cccccccccccccccc');
    partial['q0.phq9-4'] = '9';
    const res = await t.app.inject({
      method: 'POST',
      url: path,
      payload: new URLSearchParams(partial).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('q0.phq9-4-error');
    const responses = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM responses WHERE invitation_id = ${inv.id}`.execute(t.store.db);
    expect(responses.rows[0].n).toBe(0);
    await therapist.request('POST', `/api/invitations/${inv.id}/revoke`, { headers: { 'x-csrf-token': csrf } });
  });

  it('asks for the unanswered questions when too many are skipped for a score, storing nothing', async () => {
    const inv = await invite(2);
    const path = new URL(inv.url).pathname;
    const res = await t.app.inject({
      method: 'POST',
      url: path,
      payload: new URLSearchParams({ submission_key: 'key-eeeeeeeeeeeeeeee', 'q0.phq9-1': '1' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('q0.phq9-2-error');
    expect(res.body).toContain('q1.alliance-bond-error');
    const responses = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM responses WHERE invitation_id = ${inv.id}`.execute(t.store.db);
    expect(responses.rows[0].n).toBe(0);
    await therapist.request('POST', `/api/invitations/${inv.id}/revoke`, { headers: { 'x-csrf-token': csrf } });
  });

  it('shows crisis contacts and raises an urgent alert when the risk item is endorsed', async () => {
    const inv = await invite(2);
    const path = new URL(inv.url).pathname;
    const res = await t.app.inject({
      method: 'POST',
      url: path,
      payload: new URLSearchParams(
        fields([2, 2, 2, 2, 2, 2, 2, 2, 1], [4, 4, 4, 4], 'key-dddddddddddddddd'),
      ).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: '203.0.113.77',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('0800-0113');
    const alerts = await sql<{
      rule: string;
      severity: string;
    }>`SELECT rule, severity FROM alerts WHERE episode_id = ${episodeId} ORDER BY rule`.execute(t.store.db);
    expect(alerts.rows).toContainEqual({ rule: 'risk', severity: 'urgent' });
    expect(alerts.rows).toContainEqual({ rule: 'reliable_deterioration', severity: 'warning' });
    expect(alerts.rows).toContainEqual({ rule: 'alliance_low', severity: 'warning' });
  });

  it('admins see no clinical content: the audit CSV of a risky submit holds no risk flag, score or client IP', async () => {
    const org = await t.store.db
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', 'clinic')
      .executeTakeFirstOrThrow();
    await createUser(t.app, org.id, 'admin@clinic.test', ['admin']);
    const admin = new Agent(t.app, '10.8.0.9');
    await admin.login('admin@clinic.test');
    const csv = await admin.request('GET', '/app/admin/audit.csv?action=response.');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('response.submit');
    expect(csv.body).not.toMatch(/risk|score|203\.0\.113\.77/i);
    const stored = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM audit_log WHERE actor_role = 'client' AND (ip IS NOT NULL OR details::text LIKE '%risk%')`.execute(
      t.store.db,
    );
    expect(stored.rows[0].n).toBe(0);
  });

  it('lets exactly one of two racing submissions with different keys store, with one audit row', async () => {
    const inv = await invite(4);
    const path = new URL(inv.url).pathname;
    const post = (key: string) =>
      t.app.inject({
        method: 'POST',
        url: path,
        payload: new URLSearchParams(fields([1, 1, 1, 1, 1, 1, 1, 1, 0], [8, 8, 8, 8], key)).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const statuses = (await Promise.all([post('key-ffffffffffffffff'), post('key-gggggggggggggggg')]))
      .map((r) => r.statusCode)
      .sort();
    expect(statuses).toEqual([200, 404]);
    const stored = await sql<{ responses: number; scores: number; audits: number }>`SELECT
      (SELECT count(*)::int FROM responses WHERE invitation_id = ${inv.id}) AS responses,
      (SELECT count(*)::int FROM scores s JOIN responses r ON r.id = s.response_id WHERE r.invitation_id = ${inv.id}) AS scores,
      (SELECT count(*)::int FROM audit_log WHERE action = 'response.submit' AND details->>'invitationId' = ${inv.id}) AS audits`.execute(
      t.store.db,
    );
    expect(stored.rows[0]).toEqual({ responses: 2, scores: 2, audits: 1 });
  });

  it('stores a burst of simultaneous submissions (which share statements) each once, with its own rows and outcome', async () => {
    const invitations = await Promise.all(Array.from({ length: 12 }, (_, i) => invite(10 + i)));
    const post = (path: string, body: string) =>
      t.app.inject({
        method: 'POST',
        url: path,
        payload: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    // Every third one endorses the risk item; one is sent twice at once (a double tap in the same burst).
    const bodies = invitations.map((_, i) =>
      new URLSearchParams(
        fields([1, 1, 1, 1, 1, 1, 1, 1, i % 3 === 0 ? 2 : 0], [8, 8, 8, 8], `key-burst-${String(i).padStart(8, '0')}`),
      ).toString(),
    );
    const sent = invitations.map((inv, i) => post(new URL(inv.url).pathname, bodies[i]));
    sent.push(post(new URL(invitations[5].url).pathname, bodies[5]));
    const answers = await Promise.all(sent);
    expect(answers.map((a) => a.statusCode)).toEqual(Array(13).fill(200));
    answers.slice(0, 12).forEach((a, i) => expect(a.body.includes('0800-0113')).toBe(i % 3 === 0));
    // A phone's browser gets the thanks page compressed (the same bytes for everyone, served from memory).
    const compressed = await t.app.inject({
      method: 'POST',
      url: new URL(invitations[0].url).pathname,
      payload: bodies[0],
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(compressed.rawPayload).toString('utf8')).toBe(answers[0].body);
    const stored = await sql<{ id: string; responses: number; scores: number; audits: number }>`SELECT i.id,
      (SELECT count(*)::int FROM responses r WHERE r.invitation_id = i.id) AS responses,
      (SELECT count(*)::int FROM scores s JOIN responses r ON r.id = s.response_id WHERE r.invitation_id = i.id) AS scores,
      (SELECT count(*)::int FROM audit_log a WHERE a.action = 'response.submit' AND a.details->>'invitationId' = i.id::text) AS audits
      FROM invitations i WHERE i.id IN (${sql.join(invitations.map((inv) => inv.id))})`.execute(t.store.db);
    expect(stored.rows).toHaveLength(12);
    for (const row of stored.rows) expect(row).toMatchObject({ responses: 2, scores: 2, audits: 1 });
    const risks = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM alerts a JOIN responses r ON r.id = a.response_id WHERE a.rule = 'risk' AND r.invitation_id IN (${sql.join(invitations.map((inv) => inv.id))})`.execute(
      t.store.db,
    );
    expect(risks.rows[0].n).toBe(4);
  });

  it('answers a form without its submission key with a validation error, not the invalid-link page', async () => {
    const inv = await invite(3);
    const res = await t.app.inject({
      method: 'POST',
      url: new URL(inv.url).pathname,
      payload: 'q0.phq9-1=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    await therapist.request('POST', `/api/invitations/${inv.id}/revoke`, { headers: { 'x-csrf-token': csrf } });
  });

  it('gives every bad link the same page', async () => {
    const unknown = await t.app.inject('/m/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const malformed = await t.app.inject('/m/%27%20OR%201%3D1');
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(404);
    expect(malformed.body).toBe(unknown.body);
  });

  it('hides one therapist’s episode from another', async () => {
    const res = await other.request('GET', `/api/episodes/${episodeId}`);
    expect(res.statusCode).toBe(404);
    const invite = await other.request('POST', `/api/episodes/${episodeId}/invitations`, {
      json: { participantId },
      headers: { 'x-csrf-token': await other.csrf('/app') },
    });
    expect(invite.statusCode).toBe(404);
  });

  it('names the field in validation errors', async () => {
    const res = await therapist.request('POST', '/api/episodes', {
      json: { clientId: 'nope', modality: 'solo', startedOn: '2026-01-01' },
      headers: { 'x-csrf-token': csrf },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.message).toMatch(/^body\.(clientId|modality)/);
  });
});
