import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, loginAs } from './browser.ts';
import { BRANCHING_SURVEY } from '../../src/domain/research/fixtures.ts';

// Research surveys (issue 19) end to end in Chromium: the demo researcher creates a study with consent
// and a branching survey, opens it and publishes an anonymous link; twenty answers arrive (one in a
// browser, nineteen over HTTP, one of them a speeder); the researcher sees the flags, exports .sav and
// reads it back with pspp-convert, and runs a Welch t-test that matches R.

const RESEARCHER = 'onderzoeker@demo.spiegel.test';
const dir = mkdtempSync(join(tmpdir(), 'spiegel-e2e-research-'));

async function respond(url: string, fields: Record<string, string>, waitMs: number): Promise<number> {
  const post = (path: string, body: Record<string, string>) =>
    fetch(path, {
      method: 'POST',
      body: new URLSearchParams(body),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const start = await (await post(`${url}/start`, { consent: 'yes', decision: 'start' })).text();
  const state = /name="state" value="([^"]+)"/.exec(start)![1];
  await new Promise((r) => setTimeout(r, waitMs));
  return (await post(url, { state, ...fields })).status;
}

function hasRscript(): boolean {
  try {
    execFileSync('Rscript', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('research surveys (Chromium)', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let page: Page;
  let studyUrl = '';
  let link = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await loginAs(page, baseUrl, RESEARCHER);
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a study with consent and a branching survey and publishes an anonymous link', async () => {
    await page.goto(`${baseUrl}/app/research/studies`);
    await expectNoAxeViolations(page);
    await page.getByLabel('Titel').fill('Tranen in de spreekkamer');
    await page.getByLabel('Referentie ethische toetsing').fill('ETC-2026-042');
    await page.getByLabel('Bewaren tot').fill('2036-06-30');
    await page.getByLabel('Informatiebrief').fill('Dit onderzoek gaat over huilen tijdens therapie.');
    await page.getByLabel('Toestemmingstekst').fill('Ik doe vrijwillig en anoniem mee.');
    await page.getByLabel('Vragenlijst').fill(BRANCHING_SURVEY.trim());
    await page.getByRole('button', { name: 'Studie aanmaken' }).click();
    await page.waitForURL(/\/app\/research\/studies\/[0-9a-f-]{36}$/);
    studyUrl = page.url();
    await page.locator('#open-study').click();
    await page.locator('#new-link').click();
    link = (await page.getByTestId('public-link').first().textContent())!.trim();
    expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{20,}$/);
    await expectNoAxeViolations(page);
  });

  it('takes twenty anonymous answers, one from a speeder, one in the browser with branching', async () => {
    const respondent = await (await browser.newContext()).newPage();
    await respondent.goto(link);
    await respondent.getByLabel('Ik heb de informatie gelezen en geef toestemming.').check();
    await respondent.getByRole('button', { name: 'Ik doe mee' }).click();
    await expectNoAxeViolations(respondent);
    await respondent.getByLabel('Vrouw').check();
    await respondent.locator('#cried-0').check(); // "Nee": the reasons question appears, the frequency one hides
    expect(await respondent.locator('[data-item="lump"]').isHidden()).toBe(true);
    await respondent.getByLabel(/Waarom denk je/).fill('Ik houd afstand.');
    for (const [item, value] of [
      ['att1', 5],
      ['att2', 3],
      ['att3', 6],
      ['check', 2],
    ] as const)
      await respondent.locator(`#${item}-${value}`).check();
    await respondent.waitForTimeout(3500);
    await respondent.getByRole('button', { name: 'Versturen' }).click();
    await expect(await respondent.getByTestId('withdrawal-code').textContent()).toMatch(/^[A-Za-z0-9_-]{12}$/);

    const answers = (i: number) => ({
      'a.gender': String(1 + (i % 2)),
      'a.age': String(30 + i),
      'a.cried': '1',
      'a.lump': String(i),
      // Varies within both genders: with 2 + (i*3) % 6 every man answered 2 (SD 0), so Welch df was exactly 10.
      'a.att1': String(1 + ((i * 3) % 7)),
      'a.att2': String(1 + ((i * 5) % 7)),
      'a.att3': String(1 + ((i * 2) % 7)),
      'a.check': '2',
    });
    const normal = Array.from({ length: 18 }, (_, i) => respond(link, answers(i + 1), 4000));
    const speeder = respond(link, { ...answers(19), 'a.att1': '4', 'a.att2': '4', 'a.att3': '4' }, 0);
    expect(await Promise.all([...normal, speeder])).toEqual(Array(19).fill(200));
  });

  it('shows the speeder flag, exports .sav that PSPP reads with labels, and runs Welch t as R does', async () => {
    await page.goto(studyUrl);
    await expect(await page.locator('[data-flag="speeder"]').count()).toBe(1);
    await expectNoAxeViolations(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-sav').click()]);
    const sav = join(dir, 'study.sav');
    await download.saveAs(sav);
    execFileSync('pspp-convert', ['--labels', sav, join(dir, 'study.csv')]);
    const csv = readFileSync(join(dir, 'study.csv'), 'utf8').split(/\r?\n/);
    expect(csv[0]).toContain('gender,age,cried,lump,why,att1,att2,att3,check');
    expect(csv.slice(1).join('\n')).toMatch(/Vrouw/);
    expect(csv.slice(1).join('\n')).toMatch(/niet gevraagd/); // the branching's user-missing label

    await page.goto(`${studyUrl}/analyse?test=welch&y=att1&group=gender`);
    const apa = (await page.getByTestId('apa').textContent())!;
    // An integer df prints without decimals ("t(10)"), so the df's decimals are optional.
    const m = /t\((\d+(?:,\d+)?)\) = (-?\d+,\d+)/.exec(apa);
    expect(m, apa).not.toBeNull();
    execFileSync('pspp-convert', [sav, join(dir, 'values.csv')]);
    // R is optional on a developer machine, but when it is installed its figures must match.
    if (hasRscript()) {
      const reference = execFileSync(
        'Rscript',
        [
          '-e',
          `d <- read.csv("${join(dir, 'values.csv')}"); r <- t.test(att1 ~ gender, data = d); cat(sprintf("%.2f %.2f", r$parameter, r$statistic))`,
        ],
        { encoding: 'utf8' },
      );
      const [df, t] = reference.split(' ');
      expect(Number(m![1].replace(',', '.')).toFixed(2)).toBe(df);
      expect(m![2].replace(',', '.')).toBe(t);
    }
    writeFileSync(join(dir, 'apa.txt'), apa);

    // Post-hoc in the browser: Tukey HSD on the two genders (one pair), its difference and p as R's TukeyHSD.
    await page.goto(`${studyUrl}/analyse?test=tukey&y=att1&group=gender`);
    await expectNoAxeViolations(page);
    const row = page.getByTestId('posthoc').locator('tbody tr');
    await expect(await row.count()).toBe(1);
    const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
    if (hasRscript()) {
      const r = execFileSync(
        'Rscript',
        [
          '-e',
          `d <- read.csv("${join(dir, 'values.csv')}"); h <- TukeyHSD(aov(att1 ~ factor(gender), data = d))[[1]]; cat(sprintf("%.2f %.4f", h[1, "diff"], h[1, "p adj"]))`,
        ],
        { encoding: 'utf8' },
      ).split(' ');
      expect(cells[0].replace(',', '.')).toBe(r[0]);
      expect(cells[2].replace(',', '.')).toBe(r[1]);
    }
  });
});
