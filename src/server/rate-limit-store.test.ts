import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDialect } from '../store/testing.ts';
import { shippedInstruments } from '../store/instrument-registry.ts';
import { buildApp } from './app.ts';
import { testApp } from './testing.ts';

// Issue 21: login rate limits live in the database, so two app instances share one limit.

describeEachDialect('rate limits shared in the database', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let second: FastifyInstance;
  beforeAll(async () => {
    t = await testApp(dialect);
    second = await buildApp({ store: t.store, config: t.app.ctx.config, instruments: shippedInstruments() });
    await second.ready();
  }, 120_000);
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  const attempt = (app: FastifyInstance, ip: string) =>
    app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: ip,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=nobody%40rate.test&password=wrong+password+here',
    });

  it('counts login attempts from one address across two instances, and stores no address', async () => {
    const ip = '203.0.113.41';
    const max = t.app.ctx.config.loginRatePerMinute;
    const statuses: number[] = [];
    for (let i = 0; i < max; i++) statuses.push((await attempt(i % 2 === 0 ? t.app : second, ip)).statusCode);
    expect(statuses).not.toContain(429);
    const over = await attempt(second, ip);
    expect(over.statusCode).toBe(429);
    expect((await attempt(t.app, ip)).statusCode).toBe(429);
    expect((await attempt(t.app, '203.0.113.42')).statusCode).not.toBe(429); // another address has its own limit
    const rows = await t.store.db.selectFrom('rate_limits').select(['key', 'count']).execute();
    expect(rows.map((r) => r.key).every((k) => k.startsWith('POST /login:'))).toBe(true);
    expect(rows.map((r) => r.count).sort((a, b) => b - a)[0]).toBe(max + 2);
    expect(JSON.stringify(rows)).not.toContain('203.0.113');
  });
});
