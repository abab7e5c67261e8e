import type { Command } from '../command.ts';
import { serveCommand } from './serve.ts';
import { migrateCommand } from './migrate.ts';
import { demoCommand } from './demo.ts';
import { backupCommand, restoreCommand } from './backup.ts';

// Every subcommand, in the order `spiegel --help` lists them. Add new commands here.
export const commands: Command[] = [
  serveCommand,
  migrateCommand,
  demoCommand,
  backupCommand,
  restoreCommand,
];
