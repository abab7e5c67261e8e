import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, loginAs } from './browser.ts';

// Decision 0035 end to end in Chromium on the demo organisation: a new therapist writes a journal entry
// and makes a recovery code; the admin then sets the therapist's password through a password link
// (no mail server: the admin sees the link) and logs in as the therapist, finding the entry locked and
// unreadable; the recovery code opens it again. Every new page is checked with axe-core.

const ADMIN = 'beheerder@demo.spiegel.test';
const EMAIL = 'sleutel@demo.spiegel.test';
const FIRST_PASSWORD = 'mijn eigen goede wachtwoord';
const LINK_PASSWORD = 'wachtwoord van de beheerder';
const TITLE = 'Tranen bij het afscheid van mevrouw K.';

describe('journal keys (Chromium)', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let admin: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await (await browser.newContext()).newPage();
    await loginAs(admin, baseUrl, ADMIN);
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The password link the admin sees on the users page (no mail server in the demo). */
  const shownLink = async () => (await admin.locator('.notice code.secret').textContent())!.trim();

  async function setPassword(link: string, password: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(link.replace(/^https?:\/\/[^/]+/, baseUrl)); // the link names the public URL
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill(password);
    await page.getByRole('button').last().click();
    await page.waitForURL(/\/login/);
    await page.getByLabel(/E-mailadres/).fill(EMAIL);
    await page.getByLabel(/Wachtwoord/).fill(password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${baseUrl}/app`);
    return page;
  }

  it('keeps the journal from an admin who sets the password, and opens it with the recovery code', async () => {
    await admin.goto(`${baseUrl}/app/admin/users`);
    await admin.locator('#invite-email').fill(EMAIL);
    await admin.locator('#invite-name').fill('Sam Sleutel');
    await admin.locator('#invite-therapist').check();
    await admin.getByRole('button', { name: /uitnodig/i }).click();
    const therapist = await setPassword(await shownLink(), FIRST_PASSWORD);

    await therapist.goto(`${baseUrl}/app/journal/new?template=free`);
    await therapist.getByLabel('Titel').fill(TITLE);
    await therapist.getByLabel('Tekst').fill('Ik voelde de tranen komen toen zij afscheid nam.');
    await therapist.getByTestId('journal-save').click();
    await therapist.waitForURL(/\/app\/journal\/[0-9a-f-]{36}$/);
    const entryUrl = therapist.url();

    await therapist.goto(`${baseUrl}/app/journal`);
    await therapist.getByRole('button', { name: 'Maak een herstelcode' }).click();
    const code = (await therapist.getByTestId('recovery-code').textContent())!.trim();
    expect(code).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    await expectNoAxeViolations(therapist);

    // The admin sends a password link and uses it.
    await admin.goto(`${baseUrl}/app/admin/users`);
    const details = admin.locator('details', { hasText: 'Sam Sleutel' });
    await details.locator('summary').click();
    await details.getByRole('button', { name: 'Wachtwoordlink sturen' }).click();
    const intruder = await setPassword(await shownLink(), LINK_PASSWORD);
    await intruder.goto(`${baseUrl}/app/journal`);
    await expect(intruder.locator('main').textContent()).resolves.not.toContain(TITLE);
    await expect(intruder.getByTestId('journal-locked').textContent()).resolves.toContain('vergrendeld');
    await expectNoAxeViolations(intruder);
    const locked = await intruder.goto(entryUrl);
    expect(locked?.status()).toBe(423);
    await expect(intruder.locator('main').textContent()).resolves.not.toContain(TITLE);

    // The therapist, back in with the admin's password, opens the old entries with the recovery code.
    await intruder.goto(`${baseUrl}/app/journal`);
    await intruder.getByLabel('Vorig wachtwoord of herstelcode').fill(code);
    await intruder.getByRole('button', { name: 'Openen' }).click();
    await intruder.waitForURL(/notice=unlocked/);
    await expect(intruder.locator('main').textContent()).resolves.toContain(TITLE);
    await expectNoAxeViolations(intruder);
  });
});
