import type { FastifyInstance } from 'fastify';
import { keyringFromEnv, type Keyring } from '../store/reflection-crypto.ts';

/**
 * The instance's keyring (journal key and older keys) from the validated config, built once per app:
 * reflections and TOTP secrets are sealed with it. In demo mode without a key it is the publicly
 * known development key, with one warning in the log.
 */
export function appKeyring(app: FastifyInstance): Keyring {
  if (app.ctx.keyring) return app.ctx.keyring;
  const { journalKey, journalKeysOld, demoMode } = app.ctx.config;
  const fromEnv = keyringFromEnv(
    { SPIEGEL_JOURNAL_KEY: journalKey, SPIEGEL_JOURNAL_KEYS_OLD: journalKeysOld },
    demoMode,
  );
  if (fromEnv.warning) app.log.warn(fromEnv.warning);
  app.ctx.keyring = fromEnv.keyring;
  return fromEnv.keyring;
}
