import { sql } from 'kysely';
import type { Command } from '../command.ts';
import { parseArgs, wantsHelp } from '../command.ts';
import { loadConfig, type Config } from '../../config.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { sealAuditTrail } from '../../store/audit.ts';
import { openStore } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';
import { applyAuditRetention, applyClientRetention, verifyAuditTrail } from '../../store/retention.ts';

const USAGE = 'Usage: spiegel audit verify | spiegel audit retention';

interface Output {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * Seals pending rows, then verifies the hash chain: 0 and the row count when intact, 1 with each
 * problem named otherwise.
 */
export async function auditVerify(config: Config, io: Output = stdio): Promise<number> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    const schema = await sql<{ t: string | null; sealing: boolean }>`
      SELECT to_regclass('audit_log')::text AS t,
        EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'audit_log' AND column_name = 'chain_pos') AS sealing`.execute(
      store.db,
    );
    if (!schema.rows[0]?.t)
      throw new SpiegelError(
        'DATABASE_UNAVAILABLE',
        'This database has no Spiegel schema yet; run `spiegel migrate` first.',
      );
    if (!schema.rows[0].sealing)
      throw new SpiegelError(
        'DATABASE_UNAVAILABLE',
        'This database has an older Spiegel schema; run `spiegel migrate` first.',
      );
    const sealed = await sealAuditTrail(store.db);
    io.out(`Sealed ${sealed} pending row(s) into the chain.\n`);
    const result = await verifyAuditTrail(store.db);
    const pending = result.pending > 0 ? ` ${result.pending} row(s) appended since are not sealed yet.` : '';
    if (result.problems.length === 0) {
      const from =
        result.checkpoint && result.firstPos !== null && result.firstPos > 1
          ? ` (chain positions up to ${result.checkpoint.throughPos} removed by retention; verified from the checkpoint)`
          : '';
      const erased =
        result.erased > 0
          ? ` ${result.erased} of them had their details erased with a client (GDPR); the chain commits to a hash of those details, so they still verify.`
          : '';
      io.out(`The audit trail is intact: ${result.rows} rows${from}.${erased}${pending}\n`);
      return 0;
    }
    io.err(`The audit trail is NOT intact: ${result.problems.length} problem(s) in ${result.rows} rows.${pending}\n`);
    for (const p of result.problems) io.err(`  row ${p.seq}: ${p.problem}: ${p.message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

/** Applies the organisations' retention settings to the audit trail and to client data. */
export async function auditRetention(config: Config, io: Output = stdio): Promise<number> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    await migrate(store.db);
    const clients = await applyClientRetention(store.db);
    const trail = await applyAuditRetention(store.db);
    io.out(`Client retention: ${clients.erased} client(s) erased.\n`);
    io.out(
      trail.throughPos === null
        ? 'Audit retention: nothing to delete.\n'
        : `Audit retention: ${trail.deleted} row(s) deleted through chain position ${trail.throughPos}; checkpoint written.\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Verify the audit trail, or apply the retention settings',
  help: `${USAGE}

verify     Seals pending audit rows into the hash chain (the server does this within about a
           second; verify does it first so every committed row is checked) and prints how
           many it sealed, then checks the whole chain (DATABASE_URL, or PGlite in
           SPIEGEL_DATA_DIR). Exits 0 and prints the row count when intact; exits 1 and names
           every modified, deleted or missing row otherwise. After retention, verification
           starts at the latest retention checkpoint.
retention  Applies each organisation's retention settings: erases clients whose episodes all
           ended more than clientRetentionYears ago, then deletes audit rows older than
           auditRetentionDays (oldest first, leaving a checkpoint). Run it daily, e.g. from cron.

With PGlite, stop the server first: only one process may open the data directory.`,
  async run(args) {
    if (wantsHelp(args)) {
      process.stdout.write(this.help + '\n');
      return 0;
    }
    const { positionals } = parseArgs(args);
    if (positionals.length !== 1) throw new SpiegelError('USAGE', USAGE);
    const config = loadConfig();
    if (positionals[0] === 'verify') return auditVerify(config);
    if (positionals[0] === 'retention') return auditRetention(config);
    throw new SpiegelError('USAGE', USAGE);
  },
};
