import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, loginAs } from './browser.ts';

// Issue 16 end to end: an admin uploads a TEST-ONLY questionnaire carrying TEST Dutch text (fixture text,
// no instrument), acknowledges its made-up restricted licence, a therapist plans it, a client fills it
// in in Dutch, and the therapist's Dutch episode page shows the Dutch items.
const FIXTURE = fileURLToPath(new URL('../fixtures/instruments/test-only-mood.json', import.meta.url));

describe('organisation instrument import (Chromium)', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it('admin imports, therapist plans, client answers in Dutch, therapist sees the Dutch items', async () => {
    const admin = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
    await loginAs(admin, baseUrl, 'beheerder@demo.spiegel.test');
    await admin.goto(`${baseUrl}/app/admin/instruments/import?lang=nl`);
    await admin.locator('#questionnaire-file').setInputFiles(FIXTURE);
    await expect.poll(() => admin.locator('#questionnaire-text').inputValue()).toContain('test-only-mood');
    await admin.getByRole('button', { name: 'Controleren' }).click();
    await admin.getByTestId('import-passed').waitFor();
    expect(await admin.getByTestId('import-licence').textContent()).toContain('TEST LICENCE (fixture)');
    await expectNoAxeViolations(admin);
    await admin.getByLabel(/Ik bevestig/).check();
    await admin.getByRole('button', { name: 'Opslaan als nieuwe versie' }).click();
    await admin.getByTestId('import-done').waitFor();

    const therapist = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
    await loginAs(therapist, baseUrl, 'therapeut@demo.spiegel.test');
    const csrf = await therapist.locator('meta[name="csrf-token"]').getAttribute('content');
    const api = async <T>(method: string, path: string, data?: unknown): Promise<T> => {
      const res = await therapist.request.fetch(`${baseUrl}${path}`, {
        method,
        headers: { accept: 'application/json', 'x-csrf-token': csrf ?? '' },
        ...(data === undefined ? {} : { data }),
      });
      expect(res.status(), await res.text()).toBeLessThan(300);
      const text = await res.text();
      return (text ? JSON.parse(text) : null) as T;
    };
    const client = await api<{ id: string }>('POST', '/api/clients', { code: `E2E-IMP-${Date.now().toString(36)}` });
    const episode = await api<{ id: string }>('POST', '/api/episodes', {
      clientId: client.id,
      modality: 'individual',
      startedOn: new Date().toISOString().slice(0, 10),
      plans: [{ instrumentId: 'test-only-mood', schedule: 'every_session' }],
    });
    const detail = await api<{ participants: Array<{ id: string }> }>('GET', `/api/episodes/${episode.id}`);
    const invitation = await api<{ url: string }>('POST', `/api/episodes/${episode.id}/invitations`, {
      participantId: detail.participants[0].id,
      sessionNumber: 1,
    });

    const phone = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
    await phone.goto(`${baseUrl}${new URL(invitation.url).pathname}`);
    const body = (await phone.locator('main').textContent()) ?? '';
    expect(body).toContain('TESTTEKST vraag 1');
    expect(body).not.toContain('TEST TEXT question');
    for (const i of [1, 2, 3]) await phone.locator(`input[name="q0.t${i}"]`).nth(1).check();
    await phone.locator('#submit').click();
    await phone.waitForLoadState('networkidle');

    await therapist.goto(`${baseUrl}/app/episodes/${episode.id}?lang=nl`);
    const page = (await therapist.locator('main').textContent()) ?? '';
    expect(page).toContain('TESTTEKST vraag 2');
    expect(page).toContain('TEST soms');
    await api('PATCH', `/api/episodes/${episode.id}`, { status: 'completed' });
  }, 180_000);
});
