import type { Kysely } from 'kysely';
import { appendAudit } from './audit.ts';
import { shareCopyAad } from './journal-reseal.ts';
import { aadFor, open, seal, type Keyring } from './reflection-crypto.ts';
import type { Database } from './schema.ts';
import { sealPlaintextTotpSecrets } from './totp-secrets.ts';

/**
 * Key rotation: re-encrypts every reflection ciphertext that is under an old instance key. Rows under a
 * therapist's own journal key (decision 0035) are not the instance's to rotate: a password change
 * rewraps those keys instead. Run it after
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

/** The old instance keys: rows under any of them are rotated. */
const oldIds = (keyring: Keyring) => [...keyring.keys.keys()].filter((id) => id !== keyring.current.id);

async function rotateOwned(db: Kysely<Database>, keyring: Keyring, table: OwnedTable): Promise<number> {
  if (oldIds(keyring).length === 0) return 0;
  let total = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom(table)
        .select(['id', 'org_id', 'user_id', 'key_id', 'ciphertext'])
        .where('key_id', 'in', oldIds(keyring))
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
  if (oldIds(keyring).length === 0) return 0;
  let total = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('reflection_comments')
        .select(['id', 'org_id', 'share_id', 'key_id', 'ciphertext'])
        .where('key_id', 'in', oldIds(keyring))
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

/** The supervisors' copies of shared items (journal-reseal.ts). */
async function rotateShareCopies(db: Kysely<Database>, keyring: Keyring): Promise<number> {
  if (oldIds(keyring).length === 0) return 0;
  let total = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('reflection_shares')
        .select(['id', 'org_id', 'owner_id', 'key_id', 'ciphertext'])
        .where('key_id', 'in', oldIds(keyring))
        .limit(BATCH)
        .forUpdate()
        .execute();
      for (const row of rows) {
        const aad = shareCopyAad(row.id, { orgId: row.org_id, userId: row.owner_id });
        const sealed = seal(keyring, open(keyring, { keyId: row.key_id!, ciphertext: row.ciphertext! }, aad), aad);
        await trx
          .updateTable('reflection_shares')
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
  rewritten.reflection_shares = await rotateShareCopies(db, keyring);
  // TOTP secrets are sealed with the same keyring (totp-secrets.ts).
  rewritten['users.totp_secret'] = await sealPlaintextTotpSecrets(db, keyring, { rekey: true });
  let remaining = 0;
  for (const table of [...OWNED, 'reflection_comments', 'reflection_shares'] as const) {
    if (oldIds(keyring).length === 0) break;
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key_id', 'in', oldIds(keyring))
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
