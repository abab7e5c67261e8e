import type { Kysely } from 'kysely';
import { appendAudit } from './audit.ts';
import { aadFor, open, seal, type Keyring } from './reflection-crypto.ts';
import type { Database } from './schema.ts';
import { sealPlaintextTotpSecrets } from './totp-secrets.ts';

/**
 * Key rotation: re-encrypts every reflection ciphertext that is not under the current key. Run it after
 * making the new key current (SPIEGEL_JOURNAL_KEY) with the old one still in SPIEGEL_JOURNAL_KEYS_OLD;
 * when it reports zero remaining rows, the old key can be removed. Batches commit one by one, so the
 * run can be interrupted and repeated. The audit trail records counts per table, never content.
 */

type OwnedTable = 'self_checks' | 'journal_entries' | 'practice_goals' | 'practice_logs';
const OWNED: OwnedTable[] = ['self_checks', 'journal_entries', 'practice_goals', 'practice_logs'];
const BATCH = 200;

export interface RotationReport {
  rewritten: Record<string, number>;
  remaining: number;
}

async function rotateOwned(db: Kysely<Database>, keyring: Keyring, table: OwnedTable): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom(table)
        .select(['id', 'org_id', 'user_id', 'key_id', 'ciphertext'])
        .where('key_id', '!=', keyring.current.id)
        .limit(BATCH)
        .forUpdate()
        .execute();
      for (const row of rows) {
        const aad = aadFor(table, row.id, row.org_id, row.user_id);
        const sealed = seal(keyring, open(keyring, { keyId: row.key_id, ciphertext: row.ciphertext }, aad), aad);
        await trx
          .updateTable(table)
          .set({ key_id: sealed.keyId, ciphertext: sealed.ciphertext })
          .where('id', '=', row.id)
          .execute();
      }
      return rows.length;
    });
    total += done;
    if (done < BATCH) return total;
  }
}

async function rotateComments(db: Kysely<Database>, keyring: Keyring): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('reflection_comments')
        .select(['id', 'org_id', 'share_id', 'key_id', 'ciphertext'])
        .where('key_id', '!=', keyring.current.id)
        .limit(BATCH)
        .forUpdate()
        .execute();
      for (const row of rows) {
        const aad = aadFor('reflection_comments', row.id, row.org_id, row.share_id);
        const sealed = seal(keyring, open(keyring, { keyId: row.key_id, ciphertext: row.ciphertext }, aad), aad);
        await trx
          .updateTable('reflection_comments')
          .set({ key_id: sealed.keyId, ciphertext: sealed.ciphertext })
          .where('id', '=', row.id)
          .execute();
      }
      return rows.length;
    });
    total += done;
    if (done < BATCH) return total;
  }
}

export async function rotateReflectionKeys(db: Kysely<Database>, keyring: Keyring): Promise<RotationReport> {
  const rewritten: Record<string, number> = {};
  for (const table of OWNED) rewritten[table] = await rotateOwned(db, keyring, table);
  rewritten.reflection_comments = await rotateComments(db, keyring);
  // TOTP secrets are sealed with the same keyring (totp-secrets.ts).
  rewritten['users.totp_secret'] = await sealPlaintextTotpSecrets(db, keyring, { rekey: true });
  let remaining = 0;
  for (const table of [...OWNED, 'reflection_comments'] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key_id', '!=', keyring.current.id)
      .executeTakeFirstOrThrow();
    remaining += Number(row.n);
  }
  await db.transaction().execute((trx) =>
    appendAudit(trx, {
      orgId: null,
      actorId: null,
      actorRole: 'system',
      action: 'reflection.keys.rotate',
      outcome: 'ok',
      details: { rewritten, remaining, keyId: keyring.current.id },
    }),
  );
  return { rewritten, remaining };
}
