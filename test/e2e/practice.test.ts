import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server/serve.ts';
import { hashPassword } from '../../src/store/passwords.ts';
import { expectNoAxeViolations, launchBrowser } from './browser.ts';

// Issue 15's "done when": a practice started from an EMPTY organisation (not the demo), on its own
// server with a real SMTP receiver. The admin invites a therapist; the therapist sets up a family
// episode and e-mails the invitations; each participant answers on a phone; one endorses PHQ-9 item 9;
// the therapist sees and handles the risk alert, reads per-participant charts, downloads the report,
// a reminder goes out, and the episode is closed. Every page visited is checked with axe.

interface Received {
  to: string;
  subject: string;
  text: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Quoted-printable (and Q-encoded header words) back to UTF-8 text. */
function unQuote(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Headers and body of a plain-text mail as nodemailer writes it. */
function parseMail(raw: string, to: string): Received {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = (/^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '').replace(
    /=\?UTF-8\?Q\?(.*?)\?=\s*/gi,
    (_m, q: string) => unQuote(q.replace(/_/g, ' ')),
  );
  const body = rest.join('\n\n');
  return { to, subject, text: /quoted-printable/i.test(unfolded) ? unQuote(body) : body };
}

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const PASSWORD = 'a long and good password 2026';

describe('daily practice from an empty organisation (Chromium, real SMTP)', () => {
  let smtp: SMTPServer;
  let server: RunningServer;
  let browser: Browser;
  let dataDir: string;
  let baseUrl: string;
  const inbox: Received[] = [];

  beforeAll(async () => {
    const smtpPort = await freePort();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          inbox.push(parseMail(raw, session.envelope.rcptTo[0]?.address ?? ''));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
    process.env.SPIEGEL_SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
    const port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'spiegel-e2e-practice-'));
    baseUrl = `http://127.0.0.1:${port}`;
    server = await startServer({
      ...loadConfig({
        PORT: String(port),
        HOST: '127.0.0.1',
        SPIEGEL_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        SPIEGEL_PUBLIC_URL: baseUrl,
        SPIEGEL_LOGIN_RATE_PER_MINUTE: '1000',
        // Not demo mode: production fails closed without a journal key, so the test supplies one.
        SPIEGEL_JOURNAL_KEY: randomBytes(32).toString('base64'),
      }),
      databaseUrl: null,
    });
    const db = server.store.db;
    const org = await db
      .insertInto('organisations')
      .values({ slug: 'praktijk-leeg', name: 'Praktijk Linde' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('users')
      .values({
        org_id: org.id,
        email: 'beheer@linde.test',
        display_name: 'Beheer',
        roles: ['admin'],
        gender: null,
        password_hash: await hashPassword(PASSWORD),
      })
      .execute();
    for (const id of ['phq9', 'spiegel-alliance'])
      await db.insertInto('org_instruments').values({ org_id: org.id, instrument_id: id, enabled: true }).execute();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    delete process.env.SPIEGEL_SMTP_URL;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function waitForMail(predicate: (m: Received) => boolean, count: number, timeoutMs = 30_000) {
    const until = Date.now() + timeoutMs;
    while (inbox.filter(predicate).length < count) {
      if (Date.now() > until) throw new Error(`expected ${count} mails, got ${inbox.filter(predicate).length}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return inbox.filter(predicate);
  }
  async function visit(page: Page, url: string) {
    await page.goto(url.startsWith('http') ? url : `${baseUrl}${url}`);
    await expectNoAxeViolations(page);
  }
  async function login(page: Page, email: string) {
    await visit(page, '/login');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${baseUrl}/app`);
    await expectNoAxeViolations(page);
  }
  const linkIn = (m: Received) => /(http:\/\/127\.0\.0\.1:\d+\/m\/[A-Za-z0-9_-]+)/.exec(m.text)![1];

  it('runs a family episode end to end', async () => {
    // 1. The admin invites a therapist, who sets a password.
    const adminPage = await (await browser.newContext()).newPage();
    await login(adminPage, 'beheer@linde.test');
    await visit(adminPage, '/app/admin/users');
    await adminPage.locator('#invite-email').fill('therapeut@linde.test');
    await adminPage.locator('#invite-name').fill('Sanne Linde');
    await adminPage.locator('#invite-therapist').check();
    await adminPage.getByRole('button', { name: /uitnodig/i }).click();
    const [invite] = await waitForMail((m) => m.to === 'therapeut@linde.test', 1);
    const setLink = /(http:\/\/127\.0\.0\.1:\d+\/password\/set\/[A-Za-z0-9_-]+)/.exec(invite.text)![1];
    await adminPage.context().close();

    const page = await (await browser.newContext()).newPage();
    await visit(page, setLink);
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill(PASSWORD);
    await page.getByRole('button').last().click();
    await login(page, 'therapeut@linde.test');

    // 2. A family episode with three participants and a plan; invitations by e-mail.
    await page.getByRole('link', { name: 'Nieuwe cliënt' }).click();
    await expectNoAxeViolations(page);
    await page.getByLabel('Cliëntcode').fill('LN-001');
    await page.getByLabel(/^Alias/).fill('Familie B.');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.waitForURL(/episodes\/new$/);
    await expectNoAxeViolations(page);
    await page.getByLabel('gezin').check();
    const people = [
      ['Zoon', 'kind', 'zoon@linde.test'],
      ['Moeder', 'ouder', 'moeder@linde.test'],
      ['Vader', 'ouder', 'vader@linde.test'],
    ];
    for (const [i, [label, role, email]] of people.entries()) {
      await page.locator(`#p${i}_label`).fill(label);
      await page.locator(`#p${i}_role`).fill(role);
      await page.locator(`#p${i}_email`).fill(email);
    }
    await page.getByRole('button', { name: 'Behandeling opslaan' }).click();
    await page.waitForURL(/\/app\/episodes\/[0-9a-f-]+$/);
    const episodeUrl = page.url();
    await expectNoAxeViolations(page);
    await page.getByTestId('send-all').click();
    await page.waitForURL(/queued=3/);
    await expectNoAxeViolations(page);
    const invitations = await waitForMail((m) => /\/m\//.test(m.text), 3);
    for (const m of invitations) expect(m.text).not.toMatch(/PHQ|depress|score|LN-001/i);

    // 3. Each participant answers on a phone; the mother endorses PHQ-9 item 9.
    for (const m of invitations) {
      const phone = await browser.newContext(PHONE);
      const form = await phone.newPage();
      await visit(form, linkIn(m));
      const risk = m.to === 'moeder@linde.test';
      const answers = [2, 2, 1, 2, 1, 1, 1, 0, risk ? 1 : 0, 1, 7, 8, 7, 8];
      const questions = form.locator('fieldset[data-question]');
      for (const [k, answer] of answers.entries()) await questions.nth(k).locator('.choice label').nth(answer).tap();
      await form.locator('#submit').tap();
      await form.locator('#thanks').waitFor();
      await expectNoAxeViolations(form);
      await expect(form.locator('.crisis').count()).resolves.toBe(risk ? 1 : 0);
      await phone.close();
    }

    // 4. The home page shows the risk alert, naming the participant.
    await visit(page, '/app');
    await expect(page.getByTestId('risk-participant').first().textContent()).resolves.toBe('Moeder');

    // 5. Handle it; per-participant charts with their own bands; download the report.
    await page.getByTestId('home-risk').getByRole('link').first().click();
    await expectNoAxeViolations(page);
    await expect(page.getByTestId('alert-participant').first().textContent()).resolves.toContain('Moeder');
    for (const box of await page.locator('input[name="alertId"]').all()) await box.check();
    await page
      .getByLabel('Notitie (geldt voor alle geselecteerde signalen)')
      .fill('Gebeld, veiligheidsplan besproken.');
    await page.getByRole('button', { name: 'Geselecteerde signalen afhandelen' }).click();
    await page.waitForURL(/#alerts-h$/);
    await expectNoAxeViolations(page);
    await expect(page.locator('input[name="alertId"]').count()).resolves.toBe(0);
    await expect(page.getByTestId('handled').first().textContent()).resolves.toContain('Sanne Linde');
    const charts = page.getByTestId('progress-chart');
    await expect(charts.evaluateAll((els) => els.map((e) => e.getAttribute('data-participant')))).resolves.toEqual([
      'Zoon',
      'Moeder',
      'Vader',
    ]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Rapport als PDF' }).click(),
    ]);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // 6. A reminder goes out for an unanswered invitation: plan the next session, let the scheduled
    // invitations go out, then move their send time a day back and let the next pass run.
    const soon = new Date(Date.now() + 26 * 3600_000);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Amsterdam',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .format(soon)
      .replace(' ', 'T');
    await page.locator('#plannedAt').fill(local);
    await page.getByRole('button', { name: 'Volgende sessie plannen' }).click();
    await page.waitForURL(/#sessions-h$/);
    await expectNoAxeViolations(page);
    const db = server.store.db;
    const runPassNow = () =>
      db
        .updateTable('jobs')
        .set({ run_at: new Date() })
        .where('kind', '=', 'invitation_schedule')
        .where('status', '=', 'queued')
        .execute();
    await runPassNow();
    await waitForMail((m) => /voor je gesprek van/.test(m.text), 3);
    await db
      .updateTable('invitation_sends')
      .set({ sent_at: new Date(Date.now() - 25 * 3600_000) })
      .where('kind', '=', 'scheduled')
      .execute();
    await runPassNow();
    const reminders = await waitForMail((m) => /^Herinnering/.test(m.subject), 3);
    expect(reminders.map((m) => m.to).sort()).toEqual(['moeder@linde.test', 'vader@linde.test', 'zoon@linde.test']);
    await visit(page, episodeUrl);
    await expect(
      page.locator('[data-testid="sends"] [data-kind="reminder"][data-status="sent"]').count(),
    ).resolves.toBe(3);

    // 7. Close the episode, after being told what will happen.
    await page.getByRole('link', { name: 'Behandeling afsluiten' }).click();
    await expectNoAxeViolations(page);
    await expect(page.locator('main').textContent()).resolves.toContain('worden ingetrokken');
    await page.getByRole('button', { name: 'Ja, afsluiten' }).click();
    await page.waitForURL(episodeUrl);
    await expectNoAxeViolations(page);
    await expect(page.getByRole('button', { name: 'Behandeling heropenen' }).count()).resolves.toBe(1);
  }, 300_000); // one long user path; about 100 s alone, more on a loaded 2-core machine
});
