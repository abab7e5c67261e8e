import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { DEMO_PASSWORD, loadDemoIfEmpty } from '../store/demo/load.ts';
import type { Lang } from '../web/i18n.ts';
import { Agent, testApp } from './testing.ts';
import { findLeaks, missingTextKeys, pdfText, visibleText } from './language-leak.ts';

// Every PDF the crawl downloads is rendered through renderPdf; its definition carries the text.
const pdfDefinitions: TDocumentDefinitions[] = [];
vi.mock('../web/pdf.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../web/pdf.ts')>();
  return {
    ...original,
    renderPdf: (definition: TDocumentDefinitions) => {
      pdfDefinitions.push(definition);
      return original.renderPdf(definition);
    },
  };
});

const ROLES = ['therapeut', 'supervisor', 'manager', 'beheerder', 'onderzoeker'] as const;
/** Pages per role and language; the crawl visits at most this many distinct route shapes twice. */
const MAX_PAGES = 120;
const SKIP =
  /[?&]lang=|^\/(logout|app\/account\/(password|totp)\/reset)|\/(erase|delete|revoke)(\/|$)|\.(csv|sav|zip|json|sps|R|qdpx)(\?|$)/;

/** Groups /app/episodes/4f…/x and /app/episodes/9a…/x together so the crawl samples each shape. */
function shapeOf(path: string): string {
  return path
    .replace(/\?.*$/, '')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')
    .replace(/\/\d+(?=\/|$)/g, '/:n');
}

async function crawl(agent: Agent, lang: Lang): Promise<Array<{ url: string; findings: string[] }>> {
  const queue = ['/app'];
  const seen = new Set<string>(queue);
  const perShape = new Map<string, number>();
  const results: Array<{ url: string; findings: string[] }> = [];
  while (queue.length > 0 && results.length < MAX_PAGES) {
    const url = queue.shift()!;
    const before = pdfDefinitions.length;
    const response = await agent.request('GET', url, { accept: 'text/html,application/pdf' });
    const type = String(response.headers['content-type'] ?? '');
    if (response.statusCode >= 300 && response.statusCode < 400) continue;
    expect(response.statusCode, `${lang} ${url}`).toBeLessThan(500);
    if (type.startsWith('application/pdf')) {
      for (const definition of pdfDefinitions.slice(before))
        results.push({ url, findings: findLeaks(pdfText(definition, lang), lang) });
      continue;
    }
    if (!type.startsWith('text/html')) continue;
    results.push({ url, findings: findLeaks(visibleText(response.body, lang), lang) });
    for (const match of response.body.matchAll(/href="(\/app[^"#]*)"/g)) {
      const next = match[1].replaceAll('&amp;', '&');
      if (seen.has(next) || SKIP.test(next)) continue;
      seen.add(next);
      const shape = shapeOf(next);
      const count = perShape.get(shape) ?? 0;
      if (count >= 2) continue;
      perShape.set(shape, count + 1);
      queue.push(next);
    }
  }
  return results;
}

// PGlite only: the pages are the same on PostgreSQL, and the demo load dominates the run time.
describe('language leaks', () => {
  {
    const dialect = 'pglite' as const;
    let world: Awaited<ReturnType<typeof testApp>>;
    beforeAll(async () => {
      world = await testApp(dialect);
      await loadDemoIfEmpty(world.store.db, world.app.ctx.instruments);
    }, 300_000);
    afterAll(() => world.close());

    for (const lang of ['nl', 'en'] as const) {
      it(`shows every staff page and PDF of the demo in ${lang} only`, async () => {
        const report: string[] = [];
        let pages = 0;
        for (const role of ROLES) {
          const agent = new Agent(world.app);
          agent.cookies.lang = lang;
          const login = await agent.login(`${role}@demo.spiegel.test`, DEMO_PASSWORD);
          expect(login.statusCode, role).toBe(303);
          for (const page of await crawl(agent, lang)) {
            pages++;
            for (const finding of page.findings) report.push(`${role} ${page.url}: ${finding}`);
          }
        }
        expect(pages).toBeGreaterThan(40);
        expect(report).toEqual([]);
        expect([...missingTextKeys]).toEqual([]);
      }, 300_000);
    }
  }
});
