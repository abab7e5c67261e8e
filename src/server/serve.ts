import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.ts';
import { SpiegelError } from '../domain/errors.ts';
import { openStore, type Store } from '../store/database.ts';
import type { ServeHooks } from './serve-app.ts';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  config: Config;
  url: string;
  stop(): Promise<void>;
}

/** Opens the store, migrates, builds the app and listens. Errors we can explain become SpiegelErrors. */
export async function startServer(config: Config = loadConfig(), hooks: ServeHooks = {}): Promise<RunningServer> {
  // PGlite starts in its own thread (or PostgreSQL connects): the app's modules load and its instruments
  // compile meanwhile rather than after.
  const [opened, loaded] = await Promise.allSettled([
    openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.dbPoolMax }),
    import('./serve-app.ts').then((appHalf) => {
      appHalf.prepareApp();
      return appHalf;
    }),
  ]);
  if (opened.status === 'rejected') throw opened.reason;
  const store = opened.value;
  let listening;
  try {
    if (loaded.status === 'rejected') throw loaded.reason;
    listening = await loaded.value.listenOn(store, config, hooks);
  } catch (error) {
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
  const { app, stopBackground } = listening;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  let stopping: Promise<void> | null = null;
  return {
    app,
    store,
    config,
    url,
    // Drain: stop accepting, let in-flight requests finish (bounded by the grace period), stop the
    // job worker, seal the last audit rows, then CHECKPOINT and close the database.
    stop: () =>
      (stopping ??= (async () => {
        const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref());
        await Promise.race([app.close(), grace]);
        await stopBackground();
        await store.close();
      })()),
  };
}
