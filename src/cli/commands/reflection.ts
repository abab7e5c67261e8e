import type { Command } from '../command.ts';
import { parseArgs, wantsHelp } from '../command.ts';
import { loadConfig } from '../../config.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { openStore } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';
import { keyringFromEnv } from '../../store/reflection-crypto.ts';
import { rotateReflectionKeys } from '../../store/reflection-rotate.ts';
import { usersOnInstanceKey } from '../../store/journal-reseal.ts';
import type { Keyring } from '../../store/reflection-crypto.ts';
import type { Database } from '../../store/schema.ts';
import type { Kysely } from 'kysely';

const USAGE = 'Usage: spiegel reflection rekey | spiegel reflection status';
const help = `${USAGE}

rekey   Re-encrypts every reflection row, shared copy, comment and TOTP secret that is under an old
        instance key with the current key (SPIEGEL_JOURNAL_KEY). Rotation: make the new key current,
        list the old one in SPIEGEL_JOURNAL_KEYS_OLD (comma-separated), run this command, then remove
        the old key. Rows under a therapist's own key are left alone (decision 0035).
status  Lists the staff members whose reflections are still under the instance key, because they
        have not logged in since per-user journal keys came (migration 066). Whoever holds the
        instance key can still read those; ask them to log in once. Exits 0 either way.
See docs/reflection.md.`;

/** The report of `spiegel reflection status`: who still has reflections under the instance key. */
export async function keyStatus(db: Kysely<Database>, keyring: Keyring): Promise<string> {
  const users = await usersOnInstanceKey(db, [...keyring.keys.keys()]);
  if (users.length === 0) return 'Every reflection is under its owner’s own journal key.\n';
  return [
    `${users.length} staff member(s) still have reflections under the instance key (not logged in since migration 066):`,
    ...users.map((u) => `  ${u.email}: ${u.rows} row(s)`),
    '',
  ].join('\n');
}

export const reflectionCommand: Command = {
  name: 'reflection',
  summary: 'Reflection data maintenance (rekey: re-encrypt with the current key; status: who is not on their own key)',
  help,
  async run(args) {
    if (wantsHelp(args)) {
      process.stdout.write(help + '\n');
      return 0;
    }
    const { positionals } = parseArgs(args);
    const sub = positionals[0];
    if ((sub !== 'rekey' && sub !== 'status') || positionals.length !== 1) throw new SpiegelError('USAGE', USAGE);
    const config = loadConfig();
    const { keyring, warning } = keyringFromEnv(process.env, config.demoMode);
    if (warning) process.stderr.write(warning + '\n');
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
    try {
      await migrate(store.db);
      if (sub === 'status') {
        process.stdout.write(await keyStatus(store.db, keyring));
        return 0;
      }
      const report = await rotateReflectionKeys(store.db, keyring);
      process.stdout.write(JSON.stringify(report) + '\n');
    } finally {
      await store.close();
    }
    return 0;
  },
};
