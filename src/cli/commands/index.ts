import type { Command } from '../command.ts';
import { analyzeCommand } from './analyze.ts';
import { serveCommand } from './serve.ts';
import { migrateCommand } from './migrate.ts';
import { demoCommand } from './demo.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import { auditCommand } from './audit.ts';
import { statsCommand } from './stats.ts';
import { instrumentsCommand } from './instruments.ts';
import { reflectionCommand } from './reflection.ts';
import { qualCommand } from './qual.ts';

// Every subcommand, in the order `spiegel --help` lists them. Add new commands here.
export const commands: Command[] = [
  serveCommand,
  migrateCommand,
  demoCommand,
  backupCommand,
  restoreCommand,
  auditCommand,
  analyzeCommand,
  statsCommand,
  instrumentsCommand,
  reflectionCommand,
  qualCommand,
];
