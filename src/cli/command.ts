/** A `spiegel` subcommand. `run` returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  run(args: string[]): Promise<number>;
}

/** Minimal flag parser: `--name value`, `--name=value`, boolean `--flag`, positionals. */
export function parseArgs(
  args: string[],
  booleanFlags: readonly string[] = [],
): { flags: Record<string, string | true>; positionals: string[] } {
  const flags: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) {
        flags[arg.slice(2, eq)] = arg.slice(eq + 1);
      } else {
        const name = arg.slice(2);
        const next = args[i + 1];
        if (booleanFlags.includes(name) || next === undefined || next.startsWith('--')) flags[name] = true;
        else {
          flags[name] = next;
          i++;
        }
      }
    } else positionals.push(arg);
  }
  return { flags, positionals };
}

export function wantsHelp(args: string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}
