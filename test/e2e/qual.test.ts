import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoAxeViolations, launchBrowser, loginAs } from './browser.ts';

// Interview coding (issue 20) end to end in Chromium: the demo researcher creates a project, imports two
// .docx transcripts and a CSV codebook and adds two therapists as coders; both code blind by selecting
// text; agreement appears after unblinding; the investigator reaches a consensus; the code × document
// table exports in the article's layout; a participant answers the member-check link.

const RESEARCHER = 'onderzoeker@demo.spiegel.test';
const dir = mkdtempSync(join(tmpdir(), 'spiegel-e2e-qual-'));
const P01 =
  'Mijn moeder was verpleegkundige en nam me vaak mee naar haar werk. Daar zag ik hoe mensen opknapten.\n' +
  'Later wilde ik begrijpen waarom mensen doen wat ze doen, en dat is nooit meer overgegaan.';
const P02 =
  'Ik bleef omdat elke cliënt me iets nieuws leert over mezelf.\n' +
  'Het vak houdt me nieuwsgierig, ook na twintig jaar.';

/** A minimal Word document with one paragraph per line (what mammoth reads). */
function docx(text: string): Uint8Array {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const paragraphs = text
    .split('\n')
    .map((line) => `<w:p><w:r><w:t xml:space="preserve">${esc(line)}</w:t></w:r></w:p>`)
    .join('');
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    'word/document.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs}</w:body></w:document>`,
    ),
  });
}

/** Selects a phrase in the transcript, as a person would with the mouse. */
async function select(page: Page, phrase: string): Promise<void> {
  await page.evaluate((needle) => {
    const root = document.getElementById('transcript')!;
    const full = root.textContent!;
    const at = full.indexOf(needle);
    if (at < 0) throw new Error(`not in the transcript: ${needle}`);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let seen = 0;
    let node: Node | null;
    while ((node = walker.nextNode())) {
      const len = node.textContent!.length;
      if (seen <= at && at < seen + len) range.setStart(node, at - seen);
      if (seen < at + needle.length && at + needle.length <= seen + len) range.setEnd(node, at + needle.length - seen);
      seen += len;
    }
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  }, phrase);
}

async function code(page: Page, phrase: string, label: string): Promise<void> {
  const before = await page.locator('[data-testid=segments] li').count();
  await select(page, phrase);
  await expect.poll(() => page.inputValue('#seg-end')).not.toBe('');
  await page.locator(`#coding-form input[name=code][value="${label}"]`).check();
  await page.getByRole('button', { name: 'Coderen', exact: true }).click();
  await expect
    .poll(() => page.locator('[data-testid=segments] li').count(), { message: await page.url() })
    .toBe(before + 1);
}

describe('interview coding (Chromium)', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let lead: Page;
  let projectUrl = '';
  const coders: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    lead = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await loginAs(lead, baseUrl, RESEARCHER);
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('1. imports two .docx transcripts and a codebook, and adds two coders', async () => {
    await lead.goto(`${baseUrl}/app/qual`);
    await lead.getByLabel('Naam').fill('Waarom dit vak?');
    await lead.getByRole('button', { name: 'Project maken' }).click();
    await lead.waitForURL(/\/app\/qual\/[0-9a-f-]{36}$/);
    projectUrl = lead.url();
    for (const [label, text] of [
      ['P01', P01],
      ['P02', P02],
    ] as const) {
      const file = join(dir, `${label}.docx`);
      writeFileSync(file, docx(text));
      await lead.locator('#doc-file').setInputFiles(file);
      await expect.poll(() => lead.inputValue('#doc-docx')).not.toBe('');
      await lead.getByLabel(/Casuscode/).fill(label);
      await lead.getByLabel('Beroep').fill('psycholoog');
      await lead.getByRole('button', { name: 'Transcript toevoegen', exact: true }).click();
      await lead.waitForURL(/pseudonymise/);
      await expect(lead.locator('[data-testid=pseudonym-suggestions], p').first().count()).resolves.toBe(1);
      await lead.goto(projectUrl);
    }
    await expect.poll(() => lead.locator('[data-testid=qual-cases] tbody tr').count()).toBe(2);
    const csv = join(dir, 'codebook.csv');
    writeFileSync(
      csv,
      'label,name,colour,definition\n1A,Voorbeeld in de familie,#1f77b4,Een ouder of familielid in een zorgberoep\n1B,Nieuwsgierigheid naar mensen,#ff7f0e,Willen begrijpen waarom mensen doen wat ze doen\n2A,Groei van de therapeut,#2ca02c,Het vak laat de therapeut zelf groeien\n',
    );
    await lead.locator('#codebook-file').setInputFiles(csv);
    await expect.poll(() => lead.inputValue('#codebook-content')).toContain('1A');
    await lead.getByRole('button', { name: 'Codeboek inlezen', exact: true }).click();
    await expect(lead.locator('[data-testid=qual-codebook] tbody tr').count()).resolves.toBe(3);
    // Two therapists of the demo as coders (the option text carries their address).
    const therapists = await lead.locator('#member-user option[data-roles*=therapist]').allTextContents();
    const first = therapists.find((o) => o.includes('(therapeut@demo'))!;
    const chosen = [first, therapists.find((o) => o !== first)!];
    for (const option of chosen) {
      coders.push(/\(([^)]+)\)/.exec(option)![1]!);
      await lead.locator('#member-user').selectOption({ label: option });
      await lead.locator('#member-role').selectOption('coder');
      await lead.getByRole('button', { name: 'Toevoegen', exact: true }).click();
      await lead.waitForURL(projectUrl);
    }
    await expect(lead.locator('[data-testid=qual-members] li').count()).resolves.toBe(3);
    await expectNoAxeViolations(lead);
  });

  it('2. two coders code blind, each seeing only their own layer', async () => {
    const plans = [
      [
        ['Mijn moeder was verpleegkundige', '1A'],
        ['begrijpen waarom mensen doen wat ze doen', '1B'],
      ],
      [
        ['Mijn moeder was verpleegkundige en nam me vaak mee naar haar werk', '1A'],
        ['Daar zag ik hoe mensen opknapten', '1B'],
      ],
    ];
    for (let i = 0; i < 2; i++) {
      const page = await (await browser.newContext()).newPage();
      await loginAs(page, baseUrl, coders[i]!);
      const opened = await page.goto(`${projectUrl}/code?case=P01`);
      expect(opened!.status(), `${coders[i]}: ${await page.locator('main').textContent()}`).toBe(200);
      await expect(page.locator('[data-testid=segments]').count()).resolves.toBe(0);
      for (const [phrase, label] of plans[i]!) await code(page, phrase, label);
      await expect(page.locator('[data-testid=segments] li').count()).resolves.toBe(2);
      await expect(page.locator('#transcript mark').count()).resolves.toBeGreaterThan(0);
      if (i === 0) await expectNoAxeViolations(page);
      // Blind: the agreement is closed to coders.
      const blocked = await page.goto(`${projectUrl}/agreement`);
      expect(blocked!.status()).toBe(409);
      await page.context().close();
    }
  });

  it('3. agreement appears after unblinding, with the unit and coders named', async () => {
    await lead.goto(projectUrl);
    await lead.getByRole('button', { name: 'Blindering opheffen' }).click();
    await lead.goto(`${projectUrl}/agreement?unit=presence`);
    await expect(lead.locator('[data-testid=agreement-unit]').textContent()).resolves.toContain('aanwezigheid');
    const pooled = await lead.locator('[data-testid=agreement-pooled]').textContent();
    expect(pooled).toMatch(/\d/);
    await lead.goto(`${projectUrl}/agreement`);
    await expect(lead.locator('[data-testid=agreement] tbody tr').count()).resolves.toBe(4);
    // The minimum overlap belongs to the passage unit only.
    await expect(lead.locator('#threshold').count()).resolves.toBe(0);
    await lead.selectOption('#unit', 'segment');
    await lead.getByRole('button', { name: 'Tonen' }).click();
    await expect(lead.locator('#threshold').inputValue()).resolves.toBe('0,5');
    await expect(lead.locator('[data-testid=agreement-unit]').textContent()).resolves.toContain('0,5');
    await expectNoAxeViolations(lead);
  });

  it('4. reaches a consensus from the disagreement list', async () => {
    await lead.goto(`${projectUrl}/consensus?case=P01`);
    const rows = lead.locator('[data-testid=disagreements] tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    await expectNoAxeViolations(lead);
    // Accept every code once, with a decision memo on the first.
    for (let guard = 0; guard < 6; guard++) {
      const accept = lead.getByRole('button', { name: 'Overnemen' }).first();
      if ((await accept.count()) === 0) break;
      await lead
        .locator('[data-testid=disagreements] input[name=memo]')
        .first()
        .fill('Besproken in het consensusoverleg');
      await accept.click();
      await lead.waitForURL(/consensus\?case=P01/);
    }
    await expect(lead.getByText('in consensus').count()).resolves.toBeGreaterThanOrEqual(2);
  });

  it('5. exports the code × document table in the article’s layout', async () => {
    await lead.goto(`${projectUrl}/table`);
    await expect(lead.locator('[data-testid=code-document-table] tbody tr').count()).resolves.toBe(3);
    const [download] = await Promise.all([
      lead.waitForEvent('download'),
      lead.getByRole('link', { name: /Tabel als CSV/ }).click(),
    ]);
    const file = join(dir, 'themes.csv');
    await download.saveAs(file);
    const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('Thema,Frequentie,Aantal deelnemers');
    expect(lines).toContain('1A. Voorbeeld in de familie,1,1');
    expect(lines).toContain('2A. Groei van de therapeut,0,0');
  });

  it('6. a participant answers the member-check link', async () => {
    await lead.goto(projectUrl);
    await lead.locator('[data-testid=member-checks] tr', { hasText: 'P01' }).getByRole('button').click();
    const link = await lead.locator('[data-testid=member-check-link]').inputValue();
    expect(link).toMatch(/\/mc\/[A-Za-z0-9_-]{20,}$/);
    const participant = await (await browser.newContext()).newPage();
    await participant.goto(link);
    await expect(participant.locator('#transcript').textContent()).resolves.toContain('Mijn moeder');
    await expectNoAxeViolations(participant);
    await participant.locator('input[name=agree_1A][value=yes]').check();
    await participant.locator('input[name=agree_1B][value=no]').check();
    await participant.getByLabel('Toelichting (niet verplicht)').nth(1).fill('Dat was meer toeval.');
    await participant.locator('input[name=quote]').first().check();
    await participant.getByRole('button', { name: 'Versturen' }).click();
    await expect(participant.locator('[data-testid=member-check-thanks]').count()).resolves.toBe(1);
    // The link works once.
    expect((await participant.goto(link))!.status()).toBe(410);
    await lead.reload();
    const row = await lead.locator('[data-testid=member-checks] tr', { hasText: 'P01' }).textContent();
    expect(row).toContain('herkent het thema niet');
    expect(row).toContain('Dat was meer toeval.');
  });
});
