import type { Command } from '../command.ts';
import { wantsHelp } from '../command.ts';
import { loadConfig } from '../../config.ts';
import { openStore } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations',
  help: `Usage: spiegel migrate

Applies pending SQL migrations to the database (DATABASE_URL, or PGlite in SPIEGEL_DATA_DIR).
The server also does this at start; this command is for deployments that migrate separately.`,
  async run(args) {
    if (wantsHelp(args)) {
      process.stdout.write(this.help + '\n');
      return 0;
    }
    const config = loadConfig();
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
    try {
      const applied = await migrate(store.db);
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
    } finally {
      await store.close();
    }
    return 0;
  },
};
