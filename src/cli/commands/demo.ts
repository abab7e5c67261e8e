import type { Command } from '../command.ts';
import { wantsHelp } from '../command.ts';
import { loadConfig } from '../../config.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { openStore } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';
import { loadDemoIfEmpty } from '../../store/demo/load.ts';
import { shippedInstruments } from '../../store/instrument-registry.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Load the synthetic demo organisation into an empty database',
  help: `Usage: spiegel demo

Creates the demo organisation (24 therapists, supervisors, a manager, an admin, a researcher and
660 episodes of synthetic session measures over two years; see docs/demo.md) and prints the demo
logins. Running this command is the request for demo data; it refuses when the database holds any
other organisation (the demo accounts share a published password).`,
  async run(args) {
    if (wantsHelp(args)) {
      process.stdout.write(this.help + '\n');
      return 0;
    }
    const config = loadConfig();
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
    try {
      await migrate(store.db);
      const logins = await loadDemoIfEmpty(store.db, shippedInstruments(), (line) => process.stdout.write(line + '\n'));
      if (!logins)
        throw new SpiegelError(
          'USAGE',
          'The database already holds an organisation; the demo is loaded only into an empty database.',
        );
      process.stdout.write(logins + '\n');
    } finally {
      await store.close();
    }
    return 0;
  },
};
