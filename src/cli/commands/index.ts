import type { Command } from '../command.ts';

/** A subcommand as `spiegel --help` lists it; `load` imports its module only when it runs. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

// Every subcommand, in the order `spiegel --help` lists them. Add new commands here. Modules load lazily
// so that `spiegel --help` does not pay for Fastify, ECharts or pdfmake (decision 0010).
export const commands: CommandEntry[] = [
  { name: 'serve', summary: 'Run the Spiegel web server', load: async () => (await import('./serve.ts')).serveCommand },
  {
    name: 'migrate',
    summary: 'Apply pending database migrations',
    load: async () => (await import('./migrate.ts')).migrateCommand,
  },
  {
    name: 'demo',
    summary: 'Load the synthetic demo organisation into an empty database',
    load: async () => (await import('./demo.ts')).demoCommand,
  },
  {
    name: 'backup',
    summary: 'Write a backup of the database to FILE',
    load: async () => (await import('./backup.ts')).backupCommand,
  },
  {
    name: 'restore',
    summary: 'Restore the database from a backup FILE',
    load: async () => (await import('./backup.ts')).restoreCommand,
  },
  {
    name: 'audit',
    summary: 'Verify the audit trail, or apply the retention settings',
    load: async () => (await import('./audit.ts')).auditCommand,
  },
  {
    name: 'analyze',
    summary: 'Statistical analyses (therapist-effects: mixed models checked against lme4)',
    load: async () => (await import('./analyze.ts')).analyzeCommand,
  },
  {
    name: 'stats',
    summary: 'Compute statistics (t-tests, ANOVA, χ², α, κ, reliable change) from a cases file',
    load: async () => (await import('./stats.ts')).statsCommand,
  },
  {
    name: 'instruments',
    summary: 'List, validate, import and score instruments (FHIR Questionnaires)',
    load: async () => (await import('./instruments.ts')).instrumentsCommand,
  },
  {
    name: 'reflection',
    summary:
      'Reflection data maintenance (rekey: re-encrypt with the current key; status: who is not on their own key)',
    load: async () => (await import('./reflection.ts')).reflectionCommand,
  },
  {
    name: 'research',
    summary: 'Research studies: list, export (.sav, CSV + R), check reported results',
    load: async () => (await import('./research.ts')).researchCommand,
  },
  {
    name: 'qual',
    summary: 'Qualitative projects: list, export (.qdpx, CSV), agreement',
    load: async () => (await import('./qual.ts')).qualCommand,
  },
];
