import { sql, type Kysely } from 'kysely';
import { appendAudit } from './audit.ts';
import { aadFor, open, seal, type Keyring } from './reflection-crypto.ts';
import type { Database } from './schema.ts';
import { sealPlaintextTotpSecrets } from './totp-secrets.ts';

/**
 * Key rotation: re-encrypts every reflection ciphertext that is under an old instance key. Rows under a
 * therapist's own journal key (decision 0035) are not the instance's to rotate: a password change
 * rewraps those keys instead. Run it after making the new key current (SPIEGEL_JOURNAL_KEY) with the old
 * one still in SPIEGEL_JOURNAL_KEYS_OLD; when it reports zero remaining rows, the old key can be removed.
 * Batches commit one by one, so the run can be interrupted and repeated. The audit trail records counts
 * per table, never content.
 */

/**
 * Every sealed table, with the column its binding names after the organisation (aadFor): the owner for
 * owned rows, the share for comments, the owner for a share's copy of its item (journal-reseal.ts).
 */
const SEALED = [
  ['self_checks', 'user_id'],
  ['journal_entries', 'user_id'],
  ['practice_goals', 'user_id'],
  ['practice_logs', 'user_id'],
  ['reflection_comments', 'share_id'],
  ['reflection_shares', 'owner_id'],
] as const;
type SealedTable = (typeof SEALED)[number][0];
const BATCH = 200;

export interface RotationReport {
  rewritten: Record<string, number>;
  remaining: number;
}

/** The old instance keys: rows under any of them are rotated. */
const oldIds = (keyring: Keyring) => [...keyring.keys.keys()].filter((id) => id !== keyring.current.id);

interface SealedRow {
  id: string;
  org_id: string;
  bound_to: string;
  key_id: string;
  ciphertext: string;
}

async function rotateTable(
  db: Kysely<Database>,
  keyring: Keyring,
  table: SealedTable,
  boundTo: string,
): Promise<number> {
  const old = oldIds(keyring);
  if (old.length === 0) return 0;
  let total = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<SealedRow>`
        SELECT id, org_id, ${sql.ref(boundTo)} AS bound_to, key_id, ciphertext FROM ${sql.table(table)}
        WHERE key_id IN (${sql.join(old)}) LIMIT ${BATCH} FOR UPDATE`.execute(trx);
      for (const row of rows) {
        const aad = aadFor(table, row.id, row.org_id, row.bound_to);
        const sealed = seal(keyring, open(keyring, { keyId: row.key_id, ciphertext: row.ciphertext }, aad), aad);
        await sql`UPDATE ${sql.table(table)} SET key_id = ${sealed.keyId}, ciphertext = ${sealed.ciphertext}
          WHERE id = ${row.id}`.execute(trx);
      }
      return rows.length;
    });
    total += done;
    if (done < BATCH) return total;
  }
}

async function remainingRows(db: Kysely<Database>, keyring: Keyring): Promise<number> {
  const old = oldIds(keyring);
  let remaining = 0;
  for (const [table] of old.length > 0 ? SEALED : []) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM ${sql.table(table)} WHERE key_id IN (${sql.join(old)})`.execute(db);
    remaining += Number(rows[0].n);
  }
  return remaining;
}

export async function rotateReflectionKeys(db: Kysely<Database>, keyring: Keyring): Promise<RotationReport> {
  const rewritten: Record<string, number> = {};
  for (const [table, boundTo] of SEALED) rewritten[table] = await rotateTable(db, keyring, table, boundTo);
  // TOTP secrets are sealed with the same keyring (totp-secrets.ts).
  rewritten['users.totp_secret'] = await sealPlaintextTotpSecrets(db, keyring, { rekey: true });
  const remaining = await remainingRows(db, keyring);
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
