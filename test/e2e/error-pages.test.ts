import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, loginAs } from './browser.ts';

// Errors a browser meets are pages in the user's language from the one page renderer, not raw JSON.

describe('error pages (Chromium)', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    page = await context.newPage();
    await loginAs(page, baseUrl, 'therapeut@demo.spiegel.test');
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('shows a Dutch page for a page that does not exist', async () => {
    const response = await page.goto(`${baseUrl}/app/nope`);
    expect(response?.status()).toBe(404);
    expect(response?.headers()['content-type']).toContain('text/html');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('nl');
    await expect(page.locator('h1').textContent()).resolves.toBe('Er ging iets mis');
    await expect(page.locator('main').textContent()).resolves.toContain('Deze pagina bestaat niet.');
    await expect(page.locator('main').textContent()).resolves.toContain('NOT_FOUND');
    await expectNoAxeViolations(page);
  });

  it('shows a Dutch page when a therapist opens an administrator page', async () => {
    const response = await page.goto(`${baseUrl}/app/admin/users`);
    expect(response?.status()).toBe(403);
    await expect(page.locator('h1').textContent()).resolves.toBe('Er ging iets mis');
    await expect(page.locator('main').textContent()).resolves.toContain('Je hebt geen toegang tot deze pagina.');
    // Still logged in: the page carries the staff navigation.
    await expect(page.locator('nav').count()).resolves.toBeGreaterThan(0);
    await expectNoAxeViolations(page);
  });

  it('keeps answering JSON to API clients', async () => {
    const response = await page.request.get(`${baseUrl}/app/nope`, { headers: { accept: 'application/json' } });
    expect(response.status()).toBe(404);
    expect((await response.json()).error.code).toBe('NOT_FOUND');
  });
});
