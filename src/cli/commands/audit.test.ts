import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadConfig, type Config } from '../../config.ts';
import { audit } from '../../store/audit.ts';
import { openStore, type Store } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';
import { describeEachDialect, freshStore } from '../../store/testing.ts';
import { auditCommand, auditVerify } from './audit.ts';

// `spiegel audit verify` against a real data directory (PGlite) or database (PostgreSQL).

describeEachDialect('spiegel audit verify', (dialect) => {
  let config: Config;
  let dir: string | null = null;
  let pg: Awaited<ReturnType<typeof freshStore>> | null = null;
  /** The CLI opens the database itself; with PGlite only one process may hold the directory. */
  const withStore = async (work: (store: Store) => Promise<void>) => {
    if (pg) return work(pg);
    const store = await openStore({ databaseUrl: null, dataDir: dir! });
    try {
      await work(store);
    } finally {
      await store.close();
    }
  };
  const run = async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await auditVerify(config, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join(''), err: err.join('') };
  };

  beforeAll(async () => {
    if (dialect === 'pglite') {
      dir = mkdtempSync(join(tmpdir(), 'spiegel-audit-'));
      config = loadConfig({ SPIEGEL_DATA_DIR: dir });
    } else {
      pg = await freshStore('postgres');
      config = loadConfig({ DATABASE_URL: pg.url! });
    }
    await withStore(async (store) => {
      await migrate(store.db);
      for (let i = 1; i <= 5; i++)
        await audit(store.db, {
          orgId: null,
          actorId: null,
          actorRole: 'admin',
          action: 'user.list',
          outcome: 'ok',
          details: { i },
        });
    });
  });
  afterAll(async () => {
    await pg?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('seals pending rows first, then exits 0 and prints the row count when the trail is intact', async () => {
    expect(await run()).toEqual({
      code: 0,
      out: 'Sealed 5 pending row(s) into the chain.\nThe audit trail is intact: 5 rows.\n',
      err: '',
    });
    expect(await run()).toEqual({
      code: 0,
      out: 'Sealed 0 pending row(s) into the chain.\nThe audit trail is intact: 5 rows.\n',
      err: '',
    });
  });

  it('says how many rows had their details erased, and still exits 0', async () => {
    // As a GDPR erasure does (store/audit.ts): the details go, the chain's hash of them stays.
    await withStore((store) =>
      sql`UPDATE audit_log SET details = NULL WHERE seq IN (1, 2)`.execute(store.db).then(() => undefined),
    );
    expect(await run()).toEqual({
      code: 0,
      out: 'Sealed 0 pending row(s) into the chain.\nThe audit trail is intact: 5 rows. 2 of them had their details erased with a client (GDPR); the chain commits to a hash of those details, so they still verify.\n',
      err: '',
    });
  });

  it('exits 1 and names a modified row', async () => {
    await withStore((store) =>
      sql`UPDATE audit_log SET details = '{"i": 99}' WHERE seq = 2`.execute(store.db).then(() => undefined),
    );
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.err).toContain('row 2: hash_mismatch: The details of row 2 were altered.');
    await withStore((store) =>
      sql`UPDATE audit_log SET details = '{"i": 2}' WHERE seq = 2`.execute(store.db).then(() => undefined),
    );
    expect((await run()).code).toBe(0);
  });

  it('exits 1 and names a deleted row', async () => {
    await withStore((store) => sql`DELETE FROM audit_log WHERE seq = 4`.execute(store.db).then(() => undefined));
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.err).toContain('row 5: gap: Chain positions 4–4 before row 5 are missing.');
    expect(result.err).toContain('row 5: broken_link');
  });

  it('exits 1 when a sealed row was taken out of the chain, even though verify seals it again', async () => {
    await withStore((store) =>
      sql`UPDATE audit_log SET chain_pos = NULL WHERE seq = 2`.execute(store.db).then(() => undefined),
    );
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.out).toBe('Sealed 1 pending row(s) into the chain.\n');
    expect(result.err).toContain('row 3: gap: Chain positions 2–2 before row 3 are missing.');
  });

  it('refuses unknown subcommands with a usage error', async () => {
    await expect(auditCommand.run(['frobnicate'])).rejects.toThrow(/Usage: spiegel audit verify/);
  });
});
