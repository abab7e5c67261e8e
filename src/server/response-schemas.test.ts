import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from './testing.ts';

// Every JSON route (every route /docs shows) documents its answers: a success schema and the errors.
describe('response schemas', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp('pglite');
  }, 120_000);
  afterAll(() => t.close());

  it('every route shown in /docs has a response schema with a success status', () => {
    const shown = t.app.declaredRoutes.filter(
      (r) => !r.url.startsWith('/docs') && !(r.schema as { hide?: boolean } | undefined)?.hide,
    );
    expect(shown.length).toBeGreaterThan(20);
    const missing = shown
      .filter((r) => !Object.keys(r.schema?.response ?? {}).some((status) => /^2\d\d$/.test(status)))
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('/docs lists a success response with a schema for every operation, and 401 for staff routes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
    };
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses ?? {});
        if (!statuses.some((s) => /^2\d\d$/.test(s))) problems.push(`${method} ${path}: no success`);
        if (path.startsWith('/api/') && !statuses.includes('401')) problems.push(`${method} ${path}: no 401`);
      }
    }
    expect(problems).toEqual([]);
  });
});
