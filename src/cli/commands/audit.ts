import { sql } from 'kysely';
import type { Command } from '../command.ts';
import { parseArgs, wantsHelp } from '../command.ts';
import { loadConfig, type Config } from '../../config.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { openStore } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';
import { applyAuditRetention, applyClientRetention, verifyAuditTrail } from '../../store/retention.ts';

const USAGE = 'Usage: spiegel audit verify | spiegel audit retention';

interface Output {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Verifies the hash chain: 0 and the row count when intact, 1 with each problem named otherwise. */
export async function auditVerify(config: Config, io: Output = stdio): Promise<number> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    const table = await sql<{ t: string | null }>`SELECT to_regclass('audit_log')::text AS t`.execute(store.db);
    if (!table.rows[0]?.t) throw new SpiegelError('DATABASE_UNAVAILABLE', 'This database has no Spiegel schema yet; run `spiegel migrate` first.');
    const result = await verifyAuditTrail(store.db);
    if (result.problems.length === 0) {
      const from = result.checkpoint && result.firstSeq !== null && result.firstSeq > 1 ? ` (rows up to ${result.checkpoint.throughSeq} removed by retention; verified from the checkpoint)` : '';
      io.out(`The audit trail is intact: ${result.rows} rows${from}.\n`);
      return 0;
    }
    io.err(`The audit trail is NOT intact: ${result.problems.length} problem(s) in ${result.rows} rows.\n`);
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
    io.out(trail.throughSeq === null ? 'Audit retention: nothing to delete.\n' : `Audit retention: ${trail.deleted} row(s) deleted through row ${trail.throughSeq}; checkpoint written.\n`);
    return 0;
  } finally {
    await store.close();
  }
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Verify the audit trail, or apply the retention settings',
  help: `${USAGE}

verify     Checks the hash chain of the audit trail (DATABASE_URL, or PGlite in SPIEGEL_DATA_DIR).
           Exits 0 and prints the row count when intact; exits 1 and names every modified,
           deleted or missing row otherwise. After retention, verification starts at the
           latest retention checkpoint.
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
