import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect, freshStore } from './testing.ts';
import { auditHash, GENESIS_HASH } from '../domain/audit/chain.ts';
import { appendAudit, audit, auditInsertValues, sealAuditTrail, storedAuditFields, type AuditEntry } from './audit.ts';
import { openStore } from './database.ts';
import { listMigrations, migrate } from './migrate.ts';
import { verifyAuditTrail } from './retention.ts';

const entry = (i: number): AuditEntry => ({
  orgId: null,
  actorId: null,
  actorRole: null,
  action: 'login',
  outcome: 'ok',
  details: { i },
});

it('gives the values of one pending audit row', () => {
  const at = new Date('2026-03-01T10:00:00.123Z');
  expect(
    auditInsertValues(
      {
        orgId: null,
        actorId: 'u',
        actorRole: 'therapist',
        action: 'episode.read',
        outcome: 'allowed',
        details: { b: 1 },
      },
      at,
    ),
  ).toEqual({
    org_id: null,
    at,
    actor_id: 'u',
    actor_role: 'therapist',
    action: 'episode.read',
    subject_type: null,
    subject_id: null,
    ip: null,
    outcome: 'allowed',
    details: '{"b":1}',
  });
  expect(auditInsertValues(entry(1)).details).toBe('{"i":1}');
});

describeEachDialect('audit log', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  const chainOf = async () =>
    (await store.db.selectFrom('audit_log').select(['seq', 'chain_pos']).orderBy('seq').execute()).map((r) => [
      r.seq,
      r.chain_pos,
    ]);
  beforeAll(async () => {
    store = await freshStore(dialect);
    for (let i = 0; i < 4; i++) {
      await audit(store.db, {
        orgId: null,
        actorId: null,
        actorRole: 'therapist',
        action: 'episode.read',
        subjectType: 'episode',
        subjectId: `e${i}`,
        outcome: 'allowed',
        details: { i, nested: { z: 1, a: 2 } },
      });
    }
    await Promise.all([5, 6, 7].map((i) => store.db.transaction().execute((trx) => appendAudit(trx, entry(i)))));
  });
  afterAll(() => store.drop());

  it('appends rows pending, reports them without problems, and seals them into an intact chain', async () => {
    const rows = await store.db.selectFrom('audit_log').select(['chain_pos', 'prev_hash', 'hash']).execute();
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.chain_pos === null && r.prev_hash === null && r.hash === null)).toBe(true);
    expect(await verifyAuditTrail(store.db)).toEqual({
      rows: 0,
      firstPos: null,
      checkpoint: null,
      pending: 7,
      erased: 0,
      problems: [],
    });
    expect(await sealAuditTrail(store.db, 3)).toBe(7); // three batches
    expect(await sealAuditTrail(store.db)).toBe(0);
    expect(await chainOf()).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => [n, n]));
    expect(await verifyAuditTrail(store.db)).toEqual({
      rows: 7,
      firstPos: 1,
      checkpoint: null,
      pending: 0,
      erased: 0,
      problems: [],
    });
    await audit(store.db, entry(8));
    expect(await verifyAuditTrail(store.db, 2)).toMatchObject({ rows: 7, pending: 1, problems: [] });
    expect(await sealAuditTrail(store.db)).toBe(1);
    expect(await verifyAuditTrail(store.db, 2)).toMatchObject({ rows: 8, pending: 0, problems: [] });
  });

  it('never keeps a row appended in a transaction that rolls back', async () => {
    const before = await store.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await expect(
      store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, { ...entry(0), action: 'rolled.back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await sealAuditTrail(store.db)).toBe(0);
    const after = await store.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await store.db.selectFrom('audit_log').select('seq').where('action', '=', 'rolled.back').execute()).toEqual(
      [],
    );
    expect((await verifyAuditTrail(store.db)).problems).toEqual([]);
  });

  it('detects a modified row', async () => {
    await sql`UPDATE audit_log SET outcome = 'denied' WHERE seq = 2`.execute(store.db);
    const { problems } = await verifyAuditTrail(store.db);
    expect(problems).toEqual([
      { seq: 2, problem: 'hash_mismatch', message: 'Row 2 was altered after it was written.' },
    ]);
    await sql`UPDATE audit_log SET outcome = 'allowed' WHERE seq = 2`.execute(store.db);
    expect((await verifyAuditTrail(store.db)).problems).toEqual([]);
  });

  it('detects a sealed row taken out of the chain, also after the sealer chains it again', async () => {
    await sql`UPDATE audit_log SET chain_pos = NULL, prev_hash = NULL, hash = NULL WHERE seq = 5`.execute(store.db);
    const result = await verifyAuditTrail(store.db);
    expect(result.pending).toBe(1);
    expect(result.problems).toEqual([
      { seq: 6, problem: 'gap', message: 'Chain positions 5–5 before row 6 are missing.' },
      { seq: 6, problem: 'broken_link', message: 'Row 6 does not link to the row before it.' },
    ]);
    expect(await sealAuditTrail(store.db)).toBe(1); // it goes to the end; the hole stays
    expect((await verifyAuditTrail(store.db)).problems.map((p) => [p.seq, p.problem])).toEqual([
      [6, 'gap'],
      [6, 'broken_link'],
    ]);
  });

  it('detects a deleted row', async () => {
    await sql`DELETE FROM audit_log WHERE seq = 3`.execute(store.db);
    const { problems } = await verifyAuditTrail(store.db);
    expect(problems.map((p) => [p.seq, p.problem])).toEqual([
      [4, 'gap'],
      [4, 'broken_link'],
      [6, 'gap'],
      [6, 'broken_link'],
    ]);
    expect(problems[0].message).toBe('Chain positions 3–3 before row 4 are missing.');
  });
});

describeEachDialect('audit sealing under concurrency', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(dialect);
  });
  afterAll(() => store.drop());

  it('seals 20 parallel transactions (and sealers running meanwhile) into one intact chain with contiguous positions', async () => {
    // PostgreSQL: a pool of its own, so the 20 transactions really run at the same time.
    const other = store.url ? await openStore({ databaseUrl: store.url, dataDir: 'memory', poolMax: 24 }) : null;
    const db = other?.db ?? store.db;
    try {
      await Promise.all([
        ...Array.from({ length: 20 }, (_, i) =>
          db.transaction().execute(async (trx) => {
            await appendAudit(trx, entry(i));
            await sql`SELECT pg_sleep(0.01)`.execute(trx);
            await appendAudit(trx, entry(100 + i));
          }),
        ),
        sealAuditTrail(db, 7),
        sealAuditTrail(db, 7),
      ]);
      await sealAuditTrail(db, 7);
    } finally {
      await other?.close();
    }
    const rows = await store.db.selectFrom('audit_log').select(['seq', 'chain_pos']).orderBy('chain_pos').execute();
    expect(rows.map((r) => r.chain_pos)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await verifyAuditTrail(store.db, 9)).toEqual({
      rows: 40,
      firstPos: 1,
      checkpoint: null,
      pending: 0,
      erased: 0,
      problems: [],
    });
  });

  if (dialect === 'postgres') {
    it('chains in seal order: a row committed late follows rows with a higher seq', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let appended!: () => void;
      const inserted = new Promise<void>((resolve) => (appended = resolve));
      const late = store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, { ...entry(1), action: 'late' });
        appended();
        await gate;
      });
      await inserted;
      await audit(store.db, { ...entry(2), action: 'early' });
      expect(await sealAuditTrail(store.db)).toBe(1); // the late row is not committed yet
      release();
      await late;
      expect(await sealAuditTrail(store.db)).toBe(1);
      const rows = await store.db
        .selectFrom('audit_log')
        .select(['seq', 'chain_pos', 'action'])
        .where('action', 'in', ['late', 'early'])
        .orderBy('chain_pos')
        .execute();
      expect(rows.map((r) => r.action)).toEqual(['early', 'late']);
      expect(rows[0].seq).toBeGreaterThan(rows[1].seq);
      expect(await verifyAuditTrail(store.db)).toMatchObject({ rows: 42, pending: 0, problems: [] });
    });
  }
});

describeEachDialect('audit chain written before sealing (migration 006)', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(
      dialect,
      listMigrations().filter((m) => m.version < 6),
    );
  });
  afterAll(() => store.drop());

  it('keeps an old chain valid: its rows take chain_pos = seq, old checkpoints (throughSeq) still count', async () => {
    // The former appendAudit: chained at insert time, in seq order (rows 1–2 then removed by retention).
    const hashes = [GENESIS_HASH];
    for (let seq = 1; seq <= 5; seq++) {
      const prev = hashes[seq - 1];
      const values = auditInsertValues(
        seq === 4
          ? {
              ...entry(seq),
              action: 'retention.checkpoint',
              details: { throughSeq: 2, lastHash: hashes[2], deleted: 2 },
            }
          : entry(seq),
      );
      const fields = storedAuditFields({ ...values, seq, details: JSON.parse(values.details) });
      const hash = auditHash(prev, fields);
      await sql`INSERT INTO audit_log (seq, org_id, at, actor_id, actor_role, action, subject_type, subject_id, ip, outcome, details, prev_hash, hash)
        VALUES (${seq}, ${values.org_id}, ${values.at}, ${values.actor_id}, ${values.actor_role}, ${values.action}, ${values.subject_type}, ${values.subject_id}, ${values.ip}, ${values.outcome}, ${values.details}::jsonb, ${prev}, ${hash})`.execute(
        store.db,
      );
      hashes.push(hash);
    }
    await sql`SELECT setval('audit_log_seq_seq', 5)`.execute(store.db);
    await sql`DELETE FROM audit_log WHERE seq <= 2`.execute(store.db);
    expect((await migrate(store.db))[0]).toBe('006_audit_sealing'); // then any later migrations
    expect(await verifyAuditTrail(store.db)).toEqual({
      rows: 3,
      firstPos: 3,
      checkpoint: { throughPos: 2, lastHash: hashes[2] },
      pending: 0,
      erased: 0,
      problems: [],
    });
    await audit(store.db, entry(6));
    expect(await sealAuditTrail(store.db)).toBe(1);
    expect(await store.db.selectFrom('audit_log').select(['seq', 'chain_pos']).orderBy('seq').execute()).toEqual(
      [3, 4, 5, 6].map((n) => ({ seq: n, chain_pos: n })),
    );
    expect(await verifyAuditTrail(store.db)).toMatchObject({ rows: 4, firstPos: 3, pending: 0, problems: [] });
  });
});
