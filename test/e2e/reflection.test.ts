import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, loginAs } from './browser.ts';

// The therapist as a person (issue 9), end to end in Chromium on the demo organisation: the demo
// therapist (Anna de Vries) completes a self-check, sees the norm comparisons with their sources,
// downloads the PDF, writes a journal entry with the appreciation frame and shares it with the demo
// supervisor, who logs in and comments. Every page is checked with axe-core.

const THERAPIST = 'therapeut@demo.spiegel.test';
const SUPERVISOR = 'supervisor@demo.spiegel.test';

describe('reflection (Chromium)', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let therapistContext: BrowserContext;
  let supervisorContext: BrowserContext;
  let therapist: Page;
  let supervisor: Page;
  let supervisorName = '';
  let entryUrl = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    therapistContext = await browser.newContext({ acceptDownloads: true });
    supervisorContext = await browser.newContext();
    therapist = await therapistContext.newPage();
    supervisor = await supervisorContext.newPage();
    await loginAs(supervisor, baseUrl, SUPERVISOR);
    supervisorName = ((await supervisor.locator('h1').textContent()) ?? '').replace(/^Welkom,\s*/, '').trim();
    await loginAs(therapist, baseUrl, THERAPIST);
  });
  afterAll(async () => {
    await therapistContext?.close();
    await supervisorContext?.close();
    await browser?.close();
  });

  const save = async (page: Page) => {
    await page.getByTestId('module-save').click();
    await page.waitForLoadState('load');
  };

  it('completes a self-check and sees the norm comparisons with their sources', async () => {
    await therapist.goto(`${baseUrl}/app/self-check`);
    await expectNoAxeViolations(therapist);
    const continueLink = therapist.getByTestId('selfcheck-continue');
    if (await continueLink.count()) await continueLink.click();
    else await therapist.getByTestId('selfcheck-start').click();
    await therapist.waitForURL(/\/app\/self-check\/[0-9a-f-]{36}$/);
    await expectNoAxeViolations(therapist);

    await therapist.getByTestId('module-emotions').click();
    await expect(therapist.locator('h1').textContent()).resolves.toBe('Emoties in de therapie');
    await expectNoAxeViolations(therapist);
    await therapist.check('input[name="crying-proneness"][value="7"]');
    await therapist.check('input[name="ever-cried"][value="yes"]');
    await therapist.check('input[name="occasion-1"][value="yes"]');
    for (let i = 1; i <= 9; i++) await therapist.check(`input[name="attitude-${i}"][value="${i <= 4 ? 6 : 2}"]`);
    await save(therapist);

    await expect(therapist.locator('h1').textContent()).resolves.toContain('Motivatie');
    await expectNoAxeViolations(therapist);
    await therapist.check('input[name="motivation.1B.then"][value="5"]');
    await therapist.check('input[name="motivation.1B.now"][value="4"]');
    await therapist.getByRole('textbox', { name: /De vonk/ }).fill('Een cliënt die na maanden weer lachte.');
    await save(therapist);

    await expect(therapist.locator('h1').textContent()).resolves.toContain('Veerkracht');
    await expectNoAxeViolations(therapist);
    for (let i = 1; i <= 6; i++)
      await therapist.check(`input[name="brs-${i}"][value="${i % 2 ? 'agree-4' : 'agree-2'}"]`);
    await therapist.getByLabel('Supervisie').fill('6');
    await save(therapist);

    await expectNoAxeViolations(therapist);
    await therapist.getByLabel(/op welk percentiel/).fill('80');
    await therapist
      .getByLabel(/Doubt yourself as a therapist/)
      .fill('Of ik bij cliënten met veel schaamte genoeg doorvraag.');
    await save(therapist);

    await therapist.getByLabel('Voornemen 1').fill('Elke week 30 minuten doelbewust oefenen');
    await therapist.getByLabel('Voornemen 2').fill('Een breuk in de werkrelatie eerder benoemen');
    await therapist.getByLabel('Voornemen 3').fill('Intervisie over tranen in de sessie');
    await save(therapist);

    await therapist.getByTestId('selfcheck-complete').click();
    await therapist.waitForLoadState('load');
    const norms = therapist.getByTestId('norm-cryingProneness');
    await expect(norms.textContent()).resolves.toContain('Nederlandse therapeuten (N=819)');
    await expect(norms.textContent()).resolves.toContain('vrouwelijke therapeuten (N=615)');
    await expect(norms.textContent()).resolves.toContain('Bron:');
    await expect(norms.textContent()).resolves.toContain('Vingerhoets');
    await expect(norms.textContent()).resolves.toContain('Beperkingen:');
    await expect(therapist.getByTestId('norm-clientCryingAttitude').isVisible()).resolves.toBe(true);
    await expect(therapist.getByTestId('brs-score').textContent()).resolves.toContain('4,00');
    await expect(therapist.locator('ol.intentions li').count()).resolves.toBe(3);
    // The demo therapist has enough completed episodes: the measured mirror stands beside the self-rating.
    await expect(therapist.getByTestId('measured-available').textContent()).resolves.toMatch(/percentiel/);
    await expectNoAxeViolations(therapist);
  });

  it('downloads the report as a PDF', async () => {
    const [download] = await Promise.all([
      therapist.waitForEvent('download'),
      therapist.getByTestId('report-pdf').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^spiegel-zelfcheck-\d{4}-\d{2}-\d{2}\.pdf$/);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const pdf = Buffer.concat(chunks);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5_000);
  });

  it('writes a journal entry with the appreciation frame and shares it with a supervisor', async () => {
    await therapist.goto(`${baseUrl}/app/journal`);
    await expectNoAxeViolations(therapist);
    await therapist.getByRole('link', { name: 'Waardering ontvangen — individueel' }).click();
    await expect(therapist.locator('h1').textContent()).resolves.toContain('Waardering ontvangen');
    await expect(therapist.locator('body').textContent()).resolves.toContain('Blijf nieuwsgierig en open');
    await expectNoAxeViolations(therapist);
    await therapist.getByLabel('Titel').fill('“Je bent heel belangrijk voor mij”');
    await therapist
      .getByLabel(/Welke waardering kreeg ik/)
      .fill('Aan het eind van de sessie zei een cliënt dat ik heel belangrijk voor haar ben.');
    await therapist.getByLabel(/Wat was mijn eerste impuls/).fill('De waardering teruggeven: “u deed het werk zelf”.');
    await therapist.getByLabel(/Doel 1: Betekenis verkennen/).fill('Gevraagd wat haar ertoe bracht dit nu te zeggen.');
    await therapist
      .getByLabel(/Doel 4: Tegenoverdracht reflecteren/)
      .fill('Trots en ongemak tegelijk; meenemen naar supervisie.');
    await therapist.getByLabel(/Labels/).fill('waardering, tegenoverdracht');
    await therapist.getByTestId('journal-save').click();
    await therapist.waitForURL(/\/app\/journal\/[0-9a-f-]{36}$/);
    entryUrl = therapist.url();
    await expectNoAxeViolations(therapist);

    await therapist.getByLabel('Supervisor', { exact: true }).selectOption({ label: supervisorName });
    await therapist.getByRole('button', { name: 'Delen', exact: true }).click();
    await therapist.waitForLoadState('load');
    await expect(therapist.getByTestId('share').first().textContent()).resolves.toContain(supervisorName);
    await expectNoAxeViolations(therapist);

    await therapist.goto(`${baseUrl}/app/journal?q=belangrijk`);
    await expect(therapist.getByTestId('journal-entry').count()).resolves.toBeGreaterThan(0);
  });

  it('lets the supervisor read the shared entry and comment', async () => {
    await supervisor.goto(`${baseUrl}/app/shared`);
    await expectNoAxeViolations(supervisor);
    await supervisor.getByRole('link', { name: /Je bent heel belangrijk voor mij/ }).click();
    await supervisor.waitForURL(/\/app\/shared\/[0-9a-f-]{36}$/);
    await expect(supervisor.locator('body').textContent()).resolves.toContain('Trots en ongemak tegelijk');
    await expectNoAxeViolations(supervisor);
    await supervisor
      .getByLabel('Reactie', { exact: true })
      .fill('Mooi dat je het niet teruggaf. Wat deed haar waardering met jou?');
    await supervisor.getByRole('button', { name: 'Reactie plaatsen' }).click();
    await supervisor.waitForLoadState('load');
    await expect(supervisor.getByTestId('comment').last().textContent()).resolves.toContain(
      'Wat deed haar waardering met jou?',
    );
    await expectNoAxeViolations(supervisor);

    await therapist.goto(entryUrl);
    await expect(therapist.getByTestId('comment').last().textContent()).resolves.toContain(
      'Wat deed haar waardering met jou?',
    );
  });

  it('logs deliberate practice and shows the chart with its data table', async () => {
    await therapist.goto(`${baseUrl}/app/practice`);
    await therapist.getByLabel('Vaardigheid', { exact: true }).selectOption('allianceRepair');
    await therapist.getByLabel('Doel', { exact: true }).fill('Breuken eerder benoemen');
    await therapist.getByTestId('goal-add').click();
    await therapist.waitForURL(/\/app\/practice\/goals\/[0-9a-f-]{36}$/);
    await expectNoAxeViolations(therapist);
    await therapist.goto(`${baseUrl}/app/practice`);
    await therapist.getByLabel('Minuten', { exact: true }).fill('45');
    await therapist.getByLabel('Wat heb je geoefend?').fill('Metacommunicatie in een rollenspel');
    await therapist.getByTestId('log-add').click();
    await therapist.waitForLoadState('load');
    await expect(therapist.locator('.chart svg').count()).resolves.toBeGreaterThan(0);
    await expect(therapist.getByTestId('practice-log').first().textContent()).resolves.toContain('45 min');
    await expectNoAxeViolations(therapist);
    await therapist.goto(`${baseUrl}/app/practice?lang=en`);
    await expectNoAxeViolations(therapist);
    await therapist.goto(`${baseUrl}/app/practice?lang=nl`);
  });

  it('keeps the journal closed to the supervisor’s own owner routes', async () => {
    const response = await supervisor.goto(entryUrl);
    expect(response?.status()).toBe(403);
  });
});
