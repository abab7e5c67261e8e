import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../store/testing.ts';
import { loadDemoIfEmpty, DEMO_PASSWORD } from '../../store/demo/load.ts';
import { shippedInstruments } from '../../store/instrument-registry.ts';
import { Agent, testApp } from '../testing.ts';

describeEachDialect('caseload and episode pages (demo organisation)', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let anna: Agent;
  beforeAll(async () => {
    t = await testApp(dialect);
    await loadDemoIfEmpty(t.store.db, shippedInstruments());
    anna = new Agent(t.app);
    expect((await anna.login('therapeut@demo.spiegel.test', DEMO_PASSWORD)).statusCode).toBe(303);
  }, 300_000);
  afterAll(() => t.close());

  it('shows a caseload in which every status occurs', async () => {
    const res = await anna.request('GET', '/app/caseload');
    expect(res.statusCode).toBe(200);
    const statuses = new Set([...res.body.matchAll(/data-status="([a-z_]+)"/g)].map((m) => m[1]));
    for (const s of ['on_track', 'not_on_track', 'deteriorated', 'recovered', 'alliance_concern', 'risk'])
      expect(statuses, s).toContain(s);
    const risk = await anna.request('GET', '/app/caseload?status=risk&sort=code');
    expect([...risk.body.matchAll(/data-status="([a-z_]+)"/g)].every((m) => m[1] === 'risk')).toBe(true);
    const search = await anna.request('GET', '/app/caseload?q=C-1001');
    expect(search.body).toContain('C-1001');
    expect(search.body).not.toContain('C-1002<');
  });

  it('opens an off-track episode with the expected band, the alert, its reason and suggestions', async () => {
    const list = (await anna.request('GET', '/api/caseload')).json().episodes as Array<{
      episodeId: string;
      status: string;
    }>;
    const offTrack = list.find((e) => e.status === 'not_on_track')!;
    const page = await anna.request('GET', `/app/episodes/${offTrack.episodeId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="expected-method"');
    expect(page.body).toMatch(/Verwacht verloop: gemengd model, berekend op/);
    expect(page.body).toContain('data-rule="not_on_track"');
    expect(page.body).toContain('buiten de verwachte band');
    expect(page.body).toContain('metacommunicatie');
    expect(page.body).toContain('<svg role="img"');
    expect(page.body).toContain('Gegevens als tabel');
    const pdf = await anna.request('GET', `/app/episodes/${offTrack.episodeId}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(5_000);
  });

  it('gives each episode the same status on the caseload (SQL summaries) as on its page (score points)', async () => {
    const list = (await anna.request('GET', '/api/caseload')).json().episodes as Array<{
      episodeId: string;
      status: string;
    }>;
    for (const row of list) {
      const page = await anna.request('GET', `/app/episodes/${row.episodeId}`);
      expect(/class="status status-([a-z_]+)" data-testid="episode-status"/.exec(page.body)?.[1], row.episodeId).toBe(
        row.status,
      );
    }
  });

  it('handles several alerts at once with one note, and shows who handled them in the history', async () => {
    const list = (await anna.request('GET', '/api/caseload')).json().episodes as Array<{
      episodeId: string;
      openAlerts: number;
    }>;
    const withAlerts = list.find((e) => e.openAlerts > 1)!;
    const page = await anna.request('GET', `/app/episodes/${withAlerts.episodeId}`);
    const ids = [...page.body.matchAll(/name="alertId" value="([0-9a-f-]+)"/g)].map((m) => m[1]).slice(0, 2);
    expect(ids).toHaveLength(2);
    const csrf = await anna.csrf(`/app/episodes/${withAlerts.episodeId}`);
    const noNote = await anna.request('POST', '/app/alerts/acknowledge', {
      form: { alertId: ids[0], note: ' ', back: withAlerts.episodeId, _csrf: csrf },
    });
    expect(noNote.headers.location).toContain('alerts=note');
    const body = new URLSearchParams({ note: 'Besproken in sessie.', back: withAlerts.episodeId, _csrf: csrf });
    for (const id of ids) body.append('alertId', id);
    const ack = await t.app.inject({
      method: 'POST',
      url: '/app/alerts/acknowledge',
      cookies: anna.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    expect(ack.statusCode).toBe(303);
    const after = (await anna.request('GET', '/api/caseload'))
      .json()
      .episodes.find((e: { episodeId: string }) => e.episodeId === withAlerts.episodeId);
    expect(after.openAlerts).toBe(withAlerts.openAlerts - 2);
    const history = await anna.request('GET', `/app/episodes/${withAlerts.episodeId}`);
    expect(history.body).toMatch(/Afgehandeld door [^<]+ op [^<]+: Besproken in sessie\./);
    const pdf = await anna.request('GET', `/app/episodes/${withAlerts.episodeId}/report.pdf`);
    expect(pdf.statusCode).toBe(200);
  });

  it('keeps one therapist’s episodes from another', async () => {
    const list = (await anna.request('GET', '/api/caseload')).json().episodes as Array<{ episodeId: string }>;
    const bram = new Agent(t.app);
    await bram.login('bram.bakker@demo.spiegel.test', DEMO_PASSWORD);
    expect((await bram.request('GET', `/app/episodes/${list[0].episodeId}`)).statusCode).toBe(404);
    const manager = new Agent(t.app);
    await manager.login('manager@demo.spiegel.test', DEMO_PASSWORD);
    expect(
      (await manager.request('GET', `/app/episodes/${list[0].episodeId}`, { headers: { accept: 'application/json' } }))
        .statusCode,
    ).toBe(403);
    expect((await manager.request('GET', '/api/caseload')).statusCode).toBe(403);
  });

  it('shows each therapist only their own effectiveness estimate', async () => {
    const mine = (await anna.request('GET', '/api/effectiveness/me')).json();
    expect(mine.available).toBe(true);
    expect(mine.episodes).toBeGreaterThanOrEqual(10);
    expect(mine.estimate.lower).toBeLessThan(mine.estimate.upper);
    expect(JSON.stringify(mine)).not.toMatch(/therapistId|[0-9a-f]{8}-[0-9a-f]{4}-/);
    const page = await anna.request('GET', '/app/effectiveness');
    expect(page.body).toContain('data-testid="mirror-estimate"');
    expect(page.body).toContain('Alleen jij ziet deze pagina');
    const bram = new Agent(t.app);
    await bram.login('bram.bakker@demo.spiegel.test', DEMO_PASSWORD);
    const his = (await bram.request('GET', '/api/effectiveness/me')).json();
    expect(his.estimate?.effect).not.toBe(mine.estimate.effect);
  });

  it('gives the manager the aggregate only, and therapists no aggregate route', async () => {
    const manager = new Agent(t.app);
    await manager.login('manager@demo.spiegel.test', DEMO_PASSWORD);
    const report = (await manager.request('GET', '/api/organisation/therapist-effects')).json();
    expect(report.available).toBe(true);
    expect(report.icc).toBeGreaterThan(0);
    expect(report.iccCi95[0]).toBeLessThanOrEqual(report.icc);
    expect(JSON.stringify(report)).not.toMatch(/therapistId|[0-9a-f]{8}-[0-9a-f]{4}-|effect"/);
    expect((await manager.request('GET', '/api/effectiveness/me')).statusCode).toBe(403);
    expect((await anna.request('GET', '/api/organisation/therapist-effects')).statusCode).toBe(403);
    const page = await manager.request('GET', '/app/organisation');
    expect(page.body).toContain('data-testid="org-icc"');
  });
});
