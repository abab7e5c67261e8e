import type { Command } from '../command.ts';
import { parseArgs, wantsHelp } from '../command.ts';
import { loadConfig } from '../../config.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { openStore } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';
import { keyringFromEnv } from '../../store/reflection-crypto.ts';
import { rotateReflectionKeys } from '../../store/reflection-rotate.ts';

const help = `Usage: spiegel reflection rekey

Re-encrypts every journal entry, self-check, practice note and TOTP secret with the current key
(SPIEGEL_JOURNAL_KEY). Rotation: make the new key current, list the old one in
SPIEGEL_JOURNAL_KEYS_OLD (comma-separated), run this command, then remove the old key.
See docs/reflection.md.`;

export const reflectionCommand: Command = {
  name: 'reflection',
  summary: 'Reflection data maintenance (rekey: re-encrypt with the current key)',
  help,
  async run(args) {
    if (wantsHelp(args)) {
      process.stdout.write(help + '\n');
      return 0;
    }
    const { positionals } = parseArgs(args);
    if (positionals[0] !== 'rekey' || positionals.length !== 1)
      throw new SpiegelError('USAGE', 'Usage: spiegel reflection rekey');
    const config = loadConfig();
    const { keyring, warning } = keyringFromEnv(process.env, config.demoMode);
    if (warning) process.stderr.write(warning + '\n');
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
    try {
      await migrate(store.db);
      const report = await rotateReflectionKeys(store.db, keyring);
      process.stdout.write(JSON.stringify(report) + '\n');
    } finally {
      await store.close();
    }
    return 0;
  },
};
