import { afterAll, beforeAll, expect, it } from 'vitest';
import { audit } from '../../store/audit.ts';
import { verifyAuditTrail } from '../../store/retention.ts';
import { describeEachDialect, freshStore } from '../../store/testing.ts';
import { startAuditSealer } from './sealer.ts';

const login = { orgId: null, actorId: null, actorRole: null, action: 'auth.login', outcome: 'ok' as const };

describeEachDialect('audit sealer', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(dialect);
  });
  afterAll(() => store.drop());

  it('seals appended rows in the background, and once more when stopped', async () => {
    const stop = startAuditSealer(store.db, undefined, 20);
    try {
      for (let i = 0; i < 3; i++) await audit(store.db, login);
      for (let tries = 0; tries < 100 && (await verifyAuditTrail(store.db)).pending > 0; tries++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await verifyAuditTrail(store.db)).toMatchObject({ rows: 3, pending: 0, problems: [] });
    } finally {
      await audit(store.db, login);
      await stop();
    }
    expect(await verifyAuditTrail(store.db)).toMatchObject({ rows: 4, pending: 0, problems: [] });
    await stop(); // a second stop is harmless
  });
});
