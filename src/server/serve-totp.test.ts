import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { keyringFromKeys, parseKey } from '../store/reflection-crypto.ts';
import { openTotpSecret } from '../store/totp-secrets.ts';
import { startServer } from './serve.ts';

// Issue 21: TOTP secrets written in plain text before migration 063 are sealed when the server starts.

it('seals plain-text TOTP secrets at start, with the configured journal key', async () => {
  const journalKey = randomBytes(32).toString('base64');
  const plain = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  let userId = '';
  const server = await startServer(
    {
      ...loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SPIEGEL_JOURNAL_KEY: journalKey }),
      dataDir: 'memory',
    },
    {
      afterMigrate: async (store) => {
        const org = await store.db
          .insertInto('organisations')
          .values({ slug: 'sealstart', name: 'Seal at start', settings: JSON.stringify({}) })
          .returning('id')
          .executeTakeFirstOrThrow();
        const user = await store.db
          .insertInto('users')
          .values({
            org_id: org.id,
            email: 'legacy@sealstart.test',
            display_name: 'Legacy',
            roles: ['therapist'],
            totp_secret: plain,
            totp_enabled: true,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        userId = user.id;
      },
    },
  );
  try {
    const row = await server.store.db
      .selectFrom('users')
      .select(['id', 'org_id', 'totp_secret', 'totp_key_id'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(row.totp_secret).not.toContain(plain);
    const keyring = keyringFromKeys(parseKey(journalKey, 'SPIEGEL_JOURNAL_KEY'));
    expect(row.totp_key_id).toBe(keyring.current.id);
    expect(openTotpSecret(keyring, row)).toBe(plain);
  } finally {
    await server.stop();
  }
}, 120_000);
