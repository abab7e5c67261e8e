import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, expectNoAxeViolations, launchBrowser } from './browser.ts';

// The client form (issue 4) in Chromium at a phone viewport, against the shared e2e server with the
// demo organisation. Every test gets a fresh client, episode and invitation through the therapist
// API, so tests never change the demo caseload's statuses; the episodes are closed afterwards.

const THERAPIST = 'therapeut@demo.spiegel.test';
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  locale: 'nl-NL',
};
const QUESTIONS = 14; // PHQ-9 (9 items + the difficulty question) + the alliance check (4 items)

/** A therapist talking to the JSON API with the session cookie and the CSRF token of a page. */
class TherapistApi {
  private cookies = new Map<string, string>();
  private csrf = '';
  constructor(private readonly baseUrl: string) {}

  private async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }

  private static token(html: string): string {
    const match = /name="_csrf" value="([^"]+)"|name="csrf-token" content="([^"]+)"/.exec(html);
    if (!match) throw new Error('no CSRF token on the page');
    return match[1] ?? match[2];
  }

  async login(email: string): Promise<void> {
    const form = TherapistApi.token(await (await this.fetch('/login')).text());
    const res = await this.fetch('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password: DEMO_PASSWORD, _csrf: form }),
    });
    expect(res.status).toBe(303);
    this.csrf = TherapistApi.token(await (await this.fetch('/app')).text());
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
    const res = await this.fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        'x-csrf-token': this.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, data: (text ? JSON.parse(text) : null) as T };
  }

  async page(path: string): Promise<string> {
    return (await this.fetch(path, { headers: { accept: 'text/html' } })).text();
  }
}

describe('client form on a phone (Chromium)', () => {
  const baseUrl = inject('baseUrl');
  const api = new TherapistApi(baseUrl);
  const episodes: string[] = [];
  let browser: Browser;
  let counter = 0;

  beforeAll(async () => {
    browser = await launchBrowser();
    await api.login(THERAPIST);
  });
  afterAll(async () => {
    // Close the test episodes so the demo caseload looks as before.
    for (const id of episodes) await api.json('PATCH', `/api/episodes/${id}`, { status: 'completed' });
    await browser?.close();
  });

  /** A fresh client with an individual episode (PHQ-9 + alliance every session) and one invitation. */
  async function freshInvitation(): Promise<{ episodeId: string; invitationId: string; path: string; url: string }> {
    const code = `E2E-${Date.now().toString(36)}-${++counter}`;
    const client = await api.json<{ id: string }>('POST', '/api/clients', { code });
    expect(client.status).toBe(201);
    const episode = await api.json<{ id: string }>('POST', '/api/episodes', {
      clientId: client.data.id,
      modality: 'individual',
      startedOn: new Date().toISOString().slice(0, 10),
      plans: [
        { instrumentId: 'phq9', schedule: 'every_session' },
        { instrumentId: 'spiegel-alliance', schedule: 'every_session' },
      ],
    });
    expect(episode.status).toBe(201);
    episodes.push(episode.data.id);
    const detail = await api.json<{ participants: Array<{ id: string }> }>('GET', `/api/episodes/${episode.data.id}`);
    const invitation = await api.json<{ id: string; url: string; instrumentIds: string[] }>(
      'POST',
      `/api/episodes/${episode.data.id}/invitations`,
      { participantId: detail.data.participants[0].id, sessionNumber: 1 },
    );
    expect(invitation.status).toBe(201);
    expect(invitation.data.instrumentIds).toEqual(['phq9', 'spiegel-alliance']);
    const path = new URL(invitation.data.url).pathname;
    return { episodeId: episode.data.id, invitationId: invitation.data.id, path, url: `${baseUrl}${path}` };
  }

  /** The PHQ-9 totals the therapist sees for the episode (one table row per measured session). */
  async function measuredTotals(episodeId: string): Promise<number[]> {
    const html = await api.page(`/app/episodes/${episodeId}`);
    const section = /aria-labelledby="chart-phq9"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    // Whitespace between the cells is markup layout, not data.
    return [...section.matchAll(/<tr>\s*<th scope="row">\d+<\/th>\s*<td>\s*([^<]*?)\s*<\/td>/g)].map((m) =>
      Number(m[1]),
    );
  }

  async function invitationState(episodeId: string, invitationId: string) {
    const list = await api.json<{
      invitations: Array<{ id: string; used_at: string | null; revoked_at: string | null }>;
    }>('GET', `/api/episodes/${episodeId}/invitations`);
    return list.data.invitations.find((i) => i.id === invitationId)!;
  }

  async function phone(
    options: { javaScriptEnabled?: boolean } = {},
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ ...PHONE, ...options });
    return { context, page: await context.newPage() };
  }

  /** Taps the answer with the given index in each of the first answers.length questions. */
  async function tapAnswers(page: Page, answers: number[]): Promise<void> {
    const questions = page.locator('fieldset[data-question]');
    for (const [k, answer] of answers.entries()) await questions.nth(k).locator('.choice label').nth(answer).tap();
  }

  // PHQ-9 items 1–9, the difficulty question, then the alliance items (0–10). PHQ-9 total = 6.
  const CALM = [1, 1, 2, 0, 1, 0, 1, 0, 0, 1, 8, 8, 7, 9];

  it('fills in the PHQ-9 and the alliance check by tapping, sends, and thanks the client', async () => {
    const inv = await freshInvitation();
    const { context, page } = await phone();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(inv.url);
    await expect(page.title()).resolves.toBe('Vragenlijst');
    // The inline stylesheet is allowed by its CSP hash: it applies, and nothing was refused.
    await expect(page.evaluate(() => getComputedStyle(document.querySelector('.form-top')!).display)).resolves.toBe(
      'flex',
    );
    expect(cspViolations).toEqual([]);
    await expect(page.locator('fieldset[data-question]').count()).resolves.toBe(QUESTIONS);
    await expect(page.locator('#progress-text').textContent()).resolves.toBe(`0 van ${QUESTIONS} vragen beantwoord`);
    await expectNoAxeViolations(page);
    await tapAnswers(page, CALM);
    await expect(page.locator('#progress-text').textContent()).resolves.toBe(
      `${QUESTIONS} van ${QUESTIONS} vragen beantwoord`,
    );
    await page.locator('#submit').tap();
    await page.locator('#thanks').waitFor();
    await expect(page.locator('#thanks').textContent()).resolves.toBe('Dank je wel');
    await expect(page.locator('.crisis').count()).resolves.toBe(0);
    await expectNoAxeViolations(page);
    expect(await measuredTotals(inv.episodeId)).toEqual([6]);
    expect((await invitationState(inv.episodeId, inv.invitationId)).used_at).not.toBeNull();
    // The link is single-use: opening it again shows the invalid-link page.
    const again = await page.goto(inv.url);
    expect(again?.status()).toBe(404);
    await context.close();
  });

  it('keeps the answers when the connection drops before sending, and sends once it is back', async () => {
    const inv = await freshInvitation();
    const { context, page } = await phone();
    await page.goto(inv.url);
    await tapAnswers(page, CALM);
    await context.setOffline(true);
    await page.locator('#submit').tap();
    await page.locator('#offline-note').waitFor({ state: 'visible' });
    await expect(page.locator('#offline-note').textContent()).resolves.toContain('Geen verbinding');
    await expect(page.locator('#thanks').count()).resolves.toBe(0);
    expect(await measuredTotals(inv.episodeId)).toEqual([]);
    await context.setOffline(false);
    await page.locator('#thanks').waitFor({ timeout: 15_000 });
    expect(await measuredTotals(inv.episodeId)).toEqual([6]);
    await context.close();
  });

  it('restores the answers from the local draft after a reload', async () => {
    const inv = await freshInvitation();
    const { context, page } = await phone();
    await page.goto(inv.url);
    await tapAnswers(page, [2, 1, 3]);
    await page.reload();
    await page.locator('#draft-note').waitFor({ state: 'visible' });
    const checked = await page
      .locator('input[type=radio]:checked')
      .evaluateAll((inputs) => inputs.map((i) => `${(i as HTMLInputElement).name}=${(i as HTMLInputElement).value}`));
    expect(checked).toEqual(['q0.phq9-1=2', 'q0.phq9-2=1', 'q0.phq9-3=3']);
    await expect(page.locator('#progress-text').textContent()).resolves.toBe(`3 van ${QUESTIONS} vragen beantwoord`);
    await context.close();
  });

  it('stores one response when the client taps send twice, with and without JavaScript', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const inv = await freshInvitation();
      const { context, page } = await phone({ javaScriptEnabled });
      const posts: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && new URL(request.url()).pathname === inv.path)
          posts.push(request.postData() ?? '');
      });
      await page.goto(inv.url);
      const questions = page.locator('fieldset[data-question]');
      for (const [k, answer] of CALM.entries()) await questions.nth(k).locator('.choice label').nth(answer).click();
      await page.locator('#submit').dblclick();
      await page.locator('#thanks').waitFor({ timeout: 15_000 });
      if (javaScriptEnabled)
        expect(posts).toHaveLength(1); // the script sends once
      else {
        // The browser posts the plain form on each click; send it once more, as a reload after a lost
        // answer would, so the server certainly sees a repeat with the same submission key.
        expect(posts.length).toBeGreaterThanOrEqual(1);
        const again = await context.request.post(inv.url, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          data: posts[0],
        });
        expect(again.status()).toBe(200);
        expect(await again.text()).toContain('id="thanks"');
      }
      expect(
        await measuredTotals(inv.episodeId),
        `javaScriptEnabled=${javaScriptEnabled}, ${posts.length} posts`,
      ).toEqual([6]);
      await context.close();
    }
  });

  it('sends one response for two rapid programmatic submits of the enhanced form', async () => {
    const inv = await freshInvitation();
    const { context, page } = await phone();
    await page.goto(inv.url);
    await tapAnswers(page, CALM);
    await page.evaluate(() => {
      const form = document.getElementById('measure-form') as HTMLFormElement;
      form.requestSubmit();
      form.requestSubmit();
    });
    await page.locator('#thanks').waitFor({ timeout: 15_000 });
    expect(await measuredTotals(inv.episodeId)).toEqual([6]);
    await context.close();
  });

  it('shows the same invalid-link page for a revoked link as for an unknown one, also when sending', async () => {
    const inv = await freshInvitation();
    const { context, page } = await phone();
    // The client opened the form, then the link was revoked (an expired link answers the same way;
    // the API's shortest expiry is one day, and this server's database belongs to its own process).
    await page.goto(inv.url);
    await tapAnswers(page, CALM);
    const revoke = await api.json('POST', `/api/invitations/${inv.invitationId}/revoke`);
    expect(revoke.status).toBe(204);
    await page.locator('#submit').tap();
    await page.getByRole('heading', { name: 'Deze link werkt niet' }).waitFor();
    expect(await measuredTotals(inv.episodeId)).toEqual([]);
    expect((await invitationState(inv.episodeId, inv.invitationId)).used_at).toBeNull();

    const revoked = await page.goto(inv.url);
    const revokedBody = await page.locator('main').innerHTML();
    await expectNoAxeViolations(page);
    const unknown = await page.goto(`${baseUrl}/m/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    const unknownBody = await page.locator('main').innerHTML();
    const malformed = await page.goto(`${baseUrl}/m/${encodeURIComponent("' OR 1=1 --")}`);
    expect([revoked?.status(), unknown?.status(), malformed?.status()]).toEqual([404, 404, 404]);
    expect(revokedBody).toBe(unknownBody);
    expect(await page.locator('main').innerHTML()).toBe(unknownBody);
    await expect(page.locator('h1').textContent()).resolves.toBe('Deze link werkt niet');
    await expectNoAxeViolations(page);
    await context.close();
  });

  it('switches between Dutch and English and keeps the answers', async () => {
    const inv = await freshInvitation();
    const { context, page } = await phone();
    await page.goto(inv.url);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('nl');
    await tapAnswers(page, [3, 0]);
    await page.getByRole('link', { name: 'English' }).tap();
    await page.waitForURL(/\?lang=en$/);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('h1').textContent()).resolves.toBe('Questionnaire');
    await expect(page.locator('#submit').textContent()).resolves.toBe('Send');
    await expect(page.locator('#progress-text').textContent()).resolves.toBe(`2 of ${QUESTIONS} questions answered`);
    await expect(page.locator('input[name="q0.phq9-1"][value="3"]').isChecked()).resolves.toBe(true);
    await expect(page.locator('input[name="q0.phq9-2"][value="0"]').isChecked()).resolves.toBe(true);
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Nederlands' }).tap();
    await page.waitForURL(/\?lang=nl$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Vragenlijst');
    await expect(page.locator('input[name="q0.phq9-1"][value="3"]').isChecked()).resolves.toBe(true);
    // Finish in English: the thanks page follows the chosen language.
    await page.getByRole('link', { name: 'English' }).tap();
    await page.waitForURL(/\?lang=en$/);
    await tapAnswers(page, CALM);
    await page.locator('#submit').tap();
    await page.locator('#thanks').waitFor();
    await expect(page.locator('#thanks').textContent()).resolves.toBe('Thank you');
    await context.close();
  });

  it('shows the crisis contacts when the risk item is endorsed, and the therapist sees the risk', async () => {
    const inv = await freshInvitation();
    const { context, page } = await phone();
    await page.goto(inv.url);
    await tapAnswers(page, [2, 2, 2, 2, 2, 2, 2, 2, 1, 2, 6, 6, 6, 6]); // item 9 ("better off dead") = several days
    await page.locator('#submit').tap();
    await page.locator('#thanks').waitFor();
    const crisis = page.locator('section.crisis');
    await expect(crisis.isVisible()).resolves.toBe(true);
    await expect(crisis.locator('h2').textContent()).resolves.toBe('Heb je nu hulp nodig?');
    const text = await crisis.textContent();
    expect(text).toContain('113');
    expect(text).toContain('0800-0113');
    await expect(crisis.locator('a[href="tel:08000113"]').count()).resolves.toBe(1);
    await expect(crisis.locator('a[href="tel:112"]').count()).resolves.toBe(1);
    await expectNoAxeViolations(page);
    const caseload = await api.json<{ episodes: Array<{ episodeId: string; status: string; openAlerts: number }> }>(
      'GET',
      '/api/caseload',
    );
    const row = caseload.data.episodes.find((e) => e.episodeId === inv.episodeId)!;
    expect(row.status).toBe('risk');
    expect(row.openAlerts).toBeGreaterThanOrEqual(1);
    await context.close();
  });
});
