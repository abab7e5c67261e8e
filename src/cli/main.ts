import { commands } from './commands/index.ts';
import { isSpiegelError } from '../domain/errors.ts';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: spiegel <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `spiegel <command> --help` for details.',
  ].join('\n');
}

/** Entry point of the `spiegel` CLI. Errors we can explain print one line; others print a short line too. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`spiegel: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command.run(rest);
  } catch (error) {
    if (isSpiegelError(error)) {
      process.stderr.write(`spiegel ${name}: ${error.code}: ${error.message}\n`);
      return error.code === 'USAGE' ? 2 : 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`spiegel ${name}: unexpected error: ${message}\n`);
    return 1;
  }
}
