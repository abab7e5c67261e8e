import { readFile } from 'node:fs/promises';
import { parseArgs, wantsHelp, type Command } from '../command.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { CASE_INPUTS, computeCases } from '../../domain/stats/index.ts';

const help = `Usage: spiegel stats compute --input FILE.json [--pretty]

Recomputes statistical cases with Spiegel's statistics core.

FILE.json holds { "cases": [...] } in the format of reference/stats/cases.json. Of each case only
"kind" and its input fields are read; the same JSON is printed on stdout with every output field
computed by Spiegel, under the same names. Use "-" as FILE to read stdin.

Kinds and their input fields:
${Object.entries(CASE_INPUTS)
  .map(([kind, fields]) => `  ${kind.padEnd(22)} ${fields.join(', ')}`)
  .join('\n')}

Options:
  --input FILE   the cases file (required)
  --pretty       indent the JSON output
  -h, --help     show this help

A case that cannot be computed gets { "kind", "error": { "code", "message" } } in its place; the
other cases are still computed. Within a case, a statistic that is undefined for the data (Welch's
F with a group of one, Fisher's test on non-integer counts, the t-test of a correlation of exactly 1)
holds { "error": { "code", "message" } } and the others are still given.

Exit codes: 0 every case computed, 1 some case failed (output still printed) or the file is not
valid, 2 wrong usage.`;

async function readInput(path: string): Promise<string> {
  try {
    if (path === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : 'read error';
    throw new SpiegelError('FILE_UNREADABLE', `cannot read '${path}' (${reason}).`, { path });
  }
}

export const statsCommand: Command = {
  name: 'stats',
  summary: 'Compute statistics (t-tests, ANOVA, χ², α, κ, reliable change) from a cases file',
  help,
  async run(args: string[]): Promise<number> {
    if (wantsHelp(args)) {
      process.stdout.write(help + '\n');
      return 0;
    }
    const { flags, positionals } = parseArgs(args, ['pretty']);
    const [sub, ...extra] = positionals;
    if (sub !== 'compute')
      throw new SpiegelError(
        'USAGE',
        sub
          ? `unknown subcommand '${sub}'; use 'stats compute --input FILE.json'.`
          : "missing subcommand; use 'stats compute --input FILE.json'.",
      );
    if (extra.length > 0) throw new SpiegelError('USAGE', `unexpected argument '${extra[0]}'.`);
    const unknown = Object.keys(flags).filter((f) => f !== 'input' && f !== 'pretty');
    if (unknown.length > 0) throw new SpiegelError('USAGE', `unknown option --${unknown[0]}.`);
    const input = flags.input;
    if (typeof input !== 'string' || input === '') throw new SpiegelError('USAGE', 'missing --input FILE.json.');
    const text = await readInput(input);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new SpiegelError(
        'STATS_INPUT_INVALID',
        `'${input}' is not valid JSON: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ')}`,
      );
    }
    const { cases, failed } = computeCases(doc);
    process.stdout.write(JSON.stringify({ cases }, null, flags.pretty === true ? 2 : undefined) + '\n');
    if (failed > 0) {
      const first = cases.find((c) => 'error' in c) as { error: { code: string; message: string } };
      process.stderr.write(
        `spiegel stats: ${failed} of ${cases.length} case${cases.length === 1 ? '' : 's'} failed; first: ${first.error.code}: ${first.error.message}\n`,
      );
      return 1;
    }
    return 0;
  },
};
