import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generate } from 'otplib';
import { DEMO_PASSWORD, expectNoAxeViolations, launchBrowser } from './browser.ts';

// Issue 8, tried as a new user would: an admin invites a therapist, the therapist sets a password,
// enrols TOTP, logs in with a code and sees only their own clients; a manager cannot open any client.

async function login(page: Page, baseUrl: string, email: string, password: string, totp?: string): Promise<void> {
  await page.goto(`${baseUrl}/login?lang=en`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  if (totp) await page.locator('input[name="totp"]').fill(totp);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Log in' }).click()]);
}

/** A code from a fresh time step: each code is accepted once only (ASVS 2.8.4). */
async function freshCode(secret: string, previous: string | null): Promise<string> {
  for (;;) {
    const code = await generate({ secret });
    if (code !== previous) return code;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

describe('accounts and roles (Chromium)', () => {
  const baseUrl = inject('baseUrl');
  const email = `nieuw.${Date.now()}@demo.spiegel.test`;
  const password = 'een lang en geheim wachtwoord';
  let browser: Browser;
  let episodeOfAnna: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    const anna = await (await browser.newContext()).newPage();
    await login(anna, baseUrl, 'therapeut@demo.spiegel.test', DEMO_PASSWORD);
    const res = await anna.request.get(`${baseUrl}/api/caseload`);
    episodeOfAnna = (await res.json()).episodes[0].episodeId;
    await anna.context().close();
  });
  afterAll(() => browser.close());

  it('an admin invites a therapist, who sets a password, enrols TOTP and sees only their own clients', async () => {
    const admin = await (await browser.newContext()).newPage();
    await login(admin, baseUrl, 'beheerder@demo.spiegel.test', DEMO_PASSWORD);
    await admin.goto(`${baseUrl}/app/admin/users?lang=en`);
    await expectNoAxeViolations(admin);
    await admin.locator('#invite-email').fill(email);
    await admin.locator('#invite-name').fill('Nieuwe Therapeut');
    await admin.getByRole('button', { name: 'Invite', exact: true }).click();
    // Without SMTP the admin is shown the link to hand over.
    const link = (await admin.locator('code.secret').first().textContent())!.trim();
    expect(link).toMatch(/\/password\/set\//);
    await admin.context().close();

    const therapist = await (await browser.newContext()).newPage();
    await therapist.goto(link.replace(/^https?:\/\/[^/]+/, baseUrl));
    await therapist.locator('input[name="password"]').fill(password);
    await therapist.locator('input[name="repeat"]').fill(password);
    await Promise.all([therapist.waitForNavigation(), therapist.locator('form button[type="submit"]').first().click()]);
    await login(therapist, baseUrl, email, password);
    await therapist.goto(`${baseUrl}/app/account/totp?lang=en`);
    await expectNoAxeViolations(therapist);
    const secret = (await therapist.getByTestId('totp-secret').textContent())!.replace(/\s+/g, '');
    const enrolCode = await freshCode(secret, null);
    await therapist.locator('input[name="code"]').fill(enrolCode);
    await Promise.all([therapist.waitForNavigation(), therapist.locator('input[name="code"]').press('Enter')]);
    await therapist.context().close();

    // A new login needs the authenticator code.
    const again = await (await browser.newContext()).newPage();
    await login(again, baseUrl, email, password);
    await expect(again.getByRole('alert').textContent()).resolves.toContain('authenticator');
    await login(again, baseUrl, email, password, await freshCode(secret, enrolCode));
    await again.waitForURL(`${baseUrl}/app`);
    await again.goto(`${baseUrl}/app/caseload`);
    await expect(again.locator('tr[data-status]').count()).resolves.toBe(0);
    const other = await again.goto(`${baseUrl}/app/episodes/${episodeOfAnna}`);
    expect(other!.status()).toBe(404);
    await again.context().close();
  });

  it('a manager cannot open any client', async () => {
    const manager = await (await browser.newContext()).newPage();
    await login(manager, baseUrl, 'manager@demo.spiegel.test', DEMO_PASSWORD);
    expect((await manager.goto(`${baseUrl}/app/episodes/${episodeOfAnna}`))!.status()).toBe(403);
    expect((await manager.goto(`${baseUrl}/app/caseload`))!.status()).toBe(403);
    expect((await manager.goto(`${baseUrl}/api/clients`))!.status()).toBe(403);
    await manager.goto(`${baseUrl}/app/organisation`);
    await expect(manager.getByTestId('org-icc').isVisible()).resolves.toBe(true);
    await expectNoAxeViolations(manager);
    await manager.context().close();
  });
});
