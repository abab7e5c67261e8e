import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, loginAs } from './browser.ts';

describe('login (Chromium)', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('renders the login page without accessibility violations', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${baseUrl}/login`);
    await expect(page.title()).resolves.toBe('Inloggen · Spiegel');
    await expectNoAxeViolations(page);
    await page.context().close();
  });

  it('logs the demo therapist in and shows the staff shell', async () => {
    const page = await (await browser.newContext()).newPage();
    await loginAs(page, baseUrl, 'therapeut@demo.spiegel.test');
    await expect(page.getByTestId('staff-shell').isVisible()).resolves.toBe(true);
    await expect(page.locator('h1').textContent()).resolves.toContain('Welkom, Anna de Vries');
    await expectNoAxeViolations(page);
    await page.context().close();
  });

  it('shows a clear error for a wrong password', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${baseUrl}/login?lang=en`);
    await page.getByLabel('Email address').fill('therapeut@demo.spiegel.test');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Email address, password or authenticator code is incorrect. After five failed attempts an account is locked for 15 minutes.',
    );
    await expectNoAxeViolations(page);
    await page.context().close();
  });
});
