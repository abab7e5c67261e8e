import type { Command } from '../command.ts';

// Every subcommand, in the order `spiegel --help` lists them. Add new commands here.
export const commands: Command[] = [];
