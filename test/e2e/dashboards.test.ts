import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, loginAs } from './browser.ts';

// Manager dashboards and admin settings (issue 17) in Chromium against the demo organisation: a
// manager filters by team and period, downloads the CSV and the PDF and sees a withheld figure
// explained; an admin adds a crisis contact and a client who endorses the risk item sees it.

describe('manager dashboards and organisation settings (Chromium)', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function pageAs(email: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'nl-NL',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await loginAs(page, baseUrl, email);
    return page;
  }

  it('a manager filters by team and period, downloads CSV and PDF, and sees a withheld figure explained', async () => {
    const page = await pageAs('manager@demo.spiegel.test');
    await page.goto(`${baseUrl}/app/dashboards`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard: uitkomsten, bereik en opvolging');
    await expect(page.locator('section.chart svg[role="img"]').count()).resolves.toBeGreaterThanOrEqual(2);
    await expectNoAxeViolations(page);
    // Team and period: a large team in one year shows figures.
    await page.locator('#team').selectOption({ label: 'Team Amsterdam' });
    const years = await page
      .locator('#period option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const year = years.filter((v) => /^\d{4}$/.test(v)).at(-1)!;
    await page.locator('#period').selectOption(year);
    await page.getByRole('button', { name: 'Toepassen' }).click();
    await page.waitForURL(new RegExp(`period=${year}`));
    await expect(page.getByTestId('dashboard-filter-label').textContent()).resolves.toContain(
      `Team Amsterdam · ${year}`,
    );
    expect(await page.locator('table.figures tbody tr:not([data-suppressed])').count()).toBeGreaterThan(0);
    await expectNoAxeViolations(page);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    const csvText = readFileSync((await csv.path())!, 'utf8');
    expect(csvText).toContain('Team Amsterdam');
    expect(csvText).toContain('Hersteld');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pdf').click()]);
    expect(
      readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // The small team: every figure withheld, with the reason in plain Dutch.
    await page.locator('#team').selectOption({ label: 'Team Leiden (opstart)' });
    await page.locator('#period').selectOption('all');
    await page.getByRole('button', { name: 'Toepassen' }).click();
    await page.waitForURL(/period=all/);
    const withheld = page.locator('tr[data-suppressed] .suppressed').first();
    await expect(withheld.textContent()).resolves.toContain(
      'Niet getoond: in deze groep zitten minder dan 5 therapeuten',
    );
    await expectNoAxeViolations(page);
    await page.context().close();
  });

  it('an admin adds a crisis contact and a client who endorses the risk item sees it', async () => {
    const admin = await pageAs('beheerder@demo.spiegel.test');
    await admin.goto(`${baseUrl}/app/admin/organisation`);
    await expectNoAxeViolations(admin);
    await admin.locator('#nl3').fill('Huisartsenpost Spiegelstad: 0900-1234567');
    await admin.locator('#en3').fill('Out-of-hours GP Spiegelstad: 0900-1234567');
    await admin.locator('#href3').fill('tel:09001234567');
    await admin.getByTestId('settings-crisis').getByRole('button', { name: 'Opslaan' }).click();
    await expect(admin.locator('p.notice').textContent()).resolves.toContain('Opgeslagen');
    await expect(admin.locator('#href3').inputValue()).resolves.toBe('tel:09001234567');
    await admin.context().close();

    // A therapist creates an invitation; the client endorses PHQ-9 item 9.
    const therapist = await pageAs('therapeut@demo.spiegel.test');
    const url = await therapist.evaluate(async () => {
      const csrf = (document.querySelector('meta[name="csrf-token"]') as HTMLMetaElement).content;
      const call = async (method: string, path: string, body: unknown) =>
        (
          await fetch(path, {
            method,
            headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
            body: JSON.stringify(body),
          })
        ).json();
      const client = await call('POST', '/api/clients', { code: `E2E-CRISIS-${Date.now().toString(36)}` });
      const episode = await call('POST', '/api/episodes', {
        clientId: client.id,
        modality: 'individual',
        startedOn: new Date().toISOString().slice(0, 10),
        plans: [{ instrumentId: 'phq9', schedule: 'every_session' }],
      });
      const detail = await (
        await fetch(`/api/episodes/${episode.id}`, { headers: { accept: 'application/json' } })
      ).json();
      const invitation = await call('POST', `/api/episodes/${episode.id}/invitations`, {
        participantId: detail.participants[0].id,
        sessionNumber: 1,
      });
      return new URL(invitation.url).pathname;
    });
    await therapist.context().close();
    const client = await (await browser.newContext({ locale: 'nl-NL' })).newPage();
    await client.goto(`${baseUrl}${url}`);
    const questions = client.locator('fieldset[data-question]');
    const answers = [2, 2, 2, 2, 2, 2, 2, 2, 1, 2];
    for (const [k, answer] of answers.entries()) await questions.nth(k).locator('.choice label').nth(answer).click();
    await client.locator('#submit').click();
    await client.locator('#thanks').waitFor();
    const crisis = client.locator('section.crisis');
    await expect(crisis.locator('a[href="tel:09001234567"]').textContent()).resolves.toBe(
      'Huisartsenpost Spiegelstad: 0900-1234567',
    );
    await expect(crisis.locator('a[href="tel:112"]').count()).resolves.toBe(1);
    await expectNoAxeViolations(client);
    await client.context().close();
  });
});
