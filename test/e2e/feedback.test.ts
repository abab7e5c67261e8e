import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, loginAs } from './browser.ts';

// Session feedback for the therapist (issue 5) in Chromium: the demo therapist's caseload with every
// status, and an episode that is not on track with its expected band, alert, reason and suggestions.
// Full-page screenshots go to test-results/ (gitignored) for a human look.

const STATUSES = ['on_track', 'not_on_track', 'deteriorated', 'recovered', 'alliance_concern', 'risk'];

describe('caseload and episode pages (Chromium)', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    mkdirSync('test-results', { recursive: true });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    page = await context.newPage();
    await loginAs(page, baseUrl, 'therapeut@demo.spiegel.test');
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('shows the caseload with every status, linked to the episodes', async () => {
    await page.goto(`${baseUrl}/app/caseload`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Caseload');
    const rows = page.locator('table[data-testid="caseload"] tbody tr[data-status]');
    const statuses = new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status'))));
    for (const status of STATUSES) expect(statuses, status).toContain(status);
    // Attention first: the risk rows come before the on-track rows.
    const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
    expect(order.indexOf('risk')).toBeLessThan(order.lastIndexOf('on_track'));
    // Every row links to its episode and shows its status in words, not only in colour.
    const first = rows.first();
    await expect(first.locator('a').getAttribute('href')).resolves.toMatch(/^\/app\/episodes\/[0-9a-f-]{36}$/);
    await expect(first.locator('.status').textContent()).resolves.toBe('Risico');
    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'test-results/caseload.png', fullPage: true });
  });

  it('filters the caseload by status', async () => {
    await page.goto(`${baseUrl}/app/caseload`);
    await page.locator('#status').selectOption('not_on_track');
    await page.getByRole('button', { name: 'Toepassen' }).click();
    await page.waitForURL(/status=not_on_track/);
    const statuses = await page
      .locator('tbody tr[data-status]')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['not_on_track']));
  });

  it('opens an episode that is not on track: expected band, alert, reason and suggestions', async () => {
    await page.goto(`${baseUrl}/app/caseload`);
    const row = page.locator('tbody tr[data-status="not_on_track"]').first();
    const code = (await row.locator('a').textContent())!;
    await row.locator('a').click();
    await page.waitForURL(/\/app\/episodes\/[0-9a-f-]{36}$/);
    await expect(page.locator('h1').textContent()).resolves.toContain(code);
    await expect(page.getByTestId('episode-status').textContent()).resolves.toBe('Niet op koers');
    // The expected band comes from the organisation's fitted mixed model, and says so.
    const method = page.getByTestId('expected-method');
    await expect(method.isVisible()).resolves.toBe(true);
    await expect(method.textContent().then((s) => s?.trim())).resolves.toMatch(
      /^Verwacht verloop: gemengd model, berekend op .+/,
    );
    await expect(page.locator('section.chart svg[role="img"]').first().isVisible()).resolves.toBe(true);
    // The open alert: rule, reason in words, and suggestions.
    const alert = page.locator('article.alert[data-rule="not_on_track"]').first();
    await expect(alert.isVisible()).resolves.toBe(true);
    // The heading also names the participant (couple and family episodes).
    await expect(alert.locator('h3').textContent()).resolves.toContain('Niet op koers');
    await expect(alert.locator('p').first().textContent()).resolves.toContain('buiten de verwachte band');
    await expect(alert.textContent()).resolves.toContain('Te overwegen');
    const suggestions = await alert.locator('ul li').allTextContents();
    expect(suggestions.length).toBeGreaterThanOrEqual(1);
    expect(suggestions.join(' ')).toContain('metacommunicatie');
    // Alerts are handled together: each has a checkbox, and one note field serves the selection.
    await expect(page.locator('textarea[name="note"]').count()).resolves.toBe(1);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'test-results/episode-off-track.png', fullPage: true });
  });

  it('shows the same episode in English', async () => {
    await page.goto(`${baseUrl}/app/caseload?lang=en`);
    await page.locator('tbody tr[data-status="not_on_track"] a').first().click();
    await page.waitForURL(/\/app\/episodes\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('episode-status').textContent()).resolves.toBe('Not on track');
    await expect(
      page
        .getByTestId('expected-method')
        .textContent()
        .then((s) => s?.trim()),
    ).resolves.toMatch(/^Expected course: mixed model/);
    await expect(page.locator('article.alert[data-rule="not_on_track"] h3').first().textContent()).resolves.toContain(
      'Not on track',
    );
    await page.goto(`${baseUrl}/app/caseload?lang=nl`);
  });
});
