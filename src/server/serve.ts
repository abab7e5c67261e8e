import { requestLogOptions } from './request-log.ts';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.ts';
import { SpiegelError } from '../domain/errors.ts';
import { openStore, type Store } from '../store/database.ts';
import { migrate } from '../store/migrate.ts';
import { keyringFromEnv } from '../store/reflection-crypto.ts';
import { sealPlaintextTotpSecrets } from '../store/totp-secrets.ts';
import { buildApp } from './app.ts';
import { startAuditSealer } from './audit/sealer.ts';
import { shippedInstruments } from '../store/instrument-registry.ts';
import { startJobWorker } from './jobs.ts';
import { ensurePassQueued } from './practice/messaging.ts';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  config: Config;
  url: string;
  stop(): Promise<void>;
}

/** Opens the store, migrates, builds the app and listens. Errors we can explain become SpiegelErrors. */
export async function startServer(
  config: Config = loadConfig(),
  hooks: { afterMigrate?: (store: Store) => Promise<void> } = {},
): Promise<RunningServer> {
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.dbPoolMax,
  });
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
  } catch (error) {
    await app?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new SpiegelError(
        'PORT_IN_USE',
        `Port ${config.port} on ${config.host} is already in use. Stop the other process or set PORT to another port.`,
      );
    }
    if ((error as NodeJS.ErrnoException).code === 'EACCES') {
      throw new SpiegelError(
        'PORT_IN_USE',
        `No permission to listen on port ${config.port}. Choose a port above 1024 with PORT.`,
      );
    }
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  const running = app;
  // The invitation scheduling pass re-queues itself; a (re)start makes sure one is waiting.
  await ensurePassQueued(store.db);
  const stopWorker = startJobWorker(store.db, app.log, config.jobPollMs, config.jobLeaseMs);
  const stopSealer = startAuditSealer(store.db, app.log);
  let stopping: Promise<void> | null = null;
  return {
    app: running,
    store,
    config,
    url,
    // Drain: stop accepting, let in-flight requests finish (bounded by the grace period), stop the
    // job worker, seal the last audit rows, then CHECKPOINT and close the database.
    stop: () =>
      (stopping ??= (async () => {
        const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref());
        await Promise.race([running.close(), grace]);
        await stopWorker();
        await stopSealer();
        await store.close();
      })()),
  };
}
