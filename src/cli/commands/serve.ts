import { flushCompileCache } from 'node:module';
import type { Command } from '../command.ts';
import { parseArgs, wantsHelp } from '../command.ts';
import { assertRequiredSecrets, loadConfig } from '../../config.ts';
import { startServer } from '../../server/serve.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the Spiegel web server',
  help: `Usage: spiegel serve [--demo]

Serves Spiegel on HOST:PORT (default 127.0.0.1:8080). Applies pending migrations first.
Uses PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite in SPIEGEL_DATA_DIR.
Outside demo mode it refuses to start without SPIEGEL_JOURNAL_KEY. Never creates users by itself.

  --demo            demo mode (as SPIEGEL_DEMO=true): load the demo organisation into an empty
                    database and print its logins; refused when the database holds other data.
                    npm start passes this. --demo-if-empty is the same flag.

Stops cleanly on SIGINT/SIGTERM: drains requests, checkpoints and closes the database.`,
  async run(args) {
    if (wantsHelp(args)) {
      process.stdout.write(this.help + '\n');
      return 0;
    }
    const { flags } = parseArgs(args, ['demo', 'demo-if-empty']);
    const askedForDemo = flags.demo === true || flags['demo-if-empty'] === true;
    const loaded = loadConfig();
    const config = { ...loaded, demoMode: loaded.demoMode || askedForDemo };
    assertRequiredSecrets(process.env, config);
    const started = Date.now();
    let demoLogins: string | null = null;
    const server = await startServer(config, {
      afterMigrate: async (store) => {
        if (!askedForDemo) return;
        // Imported here: the demo generator is not part of a normal start.
        const [{ loadDemoIfEmpty }, { shippedInstruments }] = await Promise.all([
          import('../../store/demo/load.ts'),
          import('../../store/instrument-registry.ts'),
        ]);
        demoLogins = await loadDemoIfEmpty(store.db, shippedInstruments(), (line) => process.stdout.write(line + '\n'));
      },
    });
    const stopped = new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        process.stdout.write(`${signal} received: draining requests and closing the database…\n`);
        server.stop().then(resolve, (error) => {
          process.stderr.write(`spiegel serve: error while stopping: ${(error as Error).message}\n`);
          resolve();
        });
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
    process.stdout.write(
      `Spiegel is listening on ${server.url} (${server.store.dialect}), ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    if (demoLogins) process.stdout.write(demoLogins + '\n');
    // Write the compile cache (bin/spiegel.js) now rather than only at a clean exit, which a kill skips.
    flushCompileCache();
    await stopped;
    return 0;
  },
};
