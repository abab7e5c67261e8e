import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Store } from '../store/database.ts';
import { migrate } from '../store/migrate.ts';
import { keyringFromEnv } from '../store/reflection-crypto.ts';
import { sealPlaintextTotpSecrets } from '../store/totp-secrets.ts';
import { shippedInstruments } from '../store/instrument-registry.ts';
import { requestLogOptions } from './request-log.ts';
import { buildApp } from './app.ts';
import { startAuditSealer } from './audit/sealer.ts';
import { startJobWorker } from './jobs.ts';
import { ensurePassQueued } from './practice/messaging.ts';

export interface ServeHooks {
  afterMigrate?: (store: Store) => Promise<void>;
}

export interface ListeningApp {
  app: FastifyInstance;
  /** Stops the job worker and the audit sealer (after the app has closed). */
  stopBackground(): Promise<void>;
}

/**
 * The part of building the app that needs no database (compiling the shipped instruments), done while
 * the embedded database starts in its thread.
 */
export function prepareApp(): void {
  shippedInstruments();
}

/**
 * Migrates the opened store, builds the app and listens; then starts the background work. The heavy
 * half of `startServer`, in its own module so that it loads while the database opens (serve.ts).
 * On failure the app (if built) is closed; the store is the caller's to close.
 */
export async function listenOn(store: Store, config: Config, hooks: ServeHooks): Promise<ListeningApp> {
  let app: FastifyInstance | null = null;
  try {
    await migrate(store.db);
    await hooks.afterMigrate?.(store);
    // TOTP secrets from before migration 063 are plain text: seal them now that the keyring is known.
    await sealPlaintextTotpSecrets(
      store.db,
      keyringFromEnv(
        { SPIEGEL_JOURNAL_KEY: config.journalKey, SPIEGEL_JOURNAL_KEYS_OLD: config.journalKeysOld },
        config.demoMode,
      ).keyring,
    );
    app = await buildApp(
      { store, config, instruments: shippedInstruments() },
      {
        logger: config.logLevel === 'silent' ? false : requestLogOptions(config.logLevel),
      },
    );
    await app.listen({ host: config.host, port: config.port });
    // The invitation scheduling pass re-queues itself; a (re)start makes sure one is waiting.
    await ensurePassQueued(store.db);
  } catch (error) {
    await app?.close().catch(() => undefined);
    throw error;
  }
  const stopWorker = startJobWorker(store.db, app.log, config.jobPollMs, config.jobLeaseMs);
  const stopSealer = startAuditSealer(store.db, app.log);
  return {
    app,
    stopBackground: async () => {
      await stopWorker();
      await stopSealer();
    },
  };
}
