import type { Command } from '../command.ts';
import { parseArgs, wantsHelp } from '../command.ts';
import { loadConfig } from '../../config.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { backup, restore } from '../../store/backup.ts';

function fileArgument(args: string[], usage: string): string {
  const { positionals } = parseArgs(args);
  if (positionals.length !== 1) throw new SpiegelError('USAGE', usage);
  return positionals[0];
}

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Write a backup of the database to FILE',
  help: `Usage: spiegel backup FILE

PostgreSQL (DATABASE_URL set): pg_dump in custom format. PGlite: a gzipped dump of the data
directory; stop the server first, because only one process may open the data directory.`,
  async run(args) {
    if (wantsHelp(args)) {
      process.stdout.write(this.help + '\n');
      return 0;
    }
    const file = fileArgument(args, 'Usage: spiegel backup FILE');
    const config = loadConfig();
    process.stdout.write((await backup(config, file)) + '\n');
    return 0;
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Restore the database from a backup FILE',
  help: `Usage: spiegel restore FILE

Replaces the current database with the backup. PostgreSQL: pg_restore --clean in one transaction.
PGlite: the backup is loaded into a staging directory first; the old data directory is kept
beside it as pgdata.before-restore-<time>. Stop the server first.`,
  async run(args) {
    if (wantsHelp(args)) {
      process.stdout.write(this.help + '\n');
      return 0;
    }
    const file = fileArgument(args, 'Usage: spiegel restore FILE');
    const config = loadConfig();
    process.stdout.write((await restore(config, file)) + '\n');
    return 0;
  },
};
