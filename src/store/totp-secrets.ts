import type { Kysely } from 'kysely';
import { aadFor, open, seal, type Keyring } from './reflection-crypto.ts';
import type { Database } from './schema.ts';

/**
 * TOTP secrets at rest (issue 21): sealed with the journal keyring (AES-256-GCM, see
 * reflection-crypto.ts) and bound by additional authenticated data to the user row and organisation,
 * so a ciphertext copied to another user does not open. `users.totp_key_id` names the key; NULL marks
 * a plain-text secret written before migration 063, which is still read until
 * `sealPlaintextTotpSecrets` (run at every server start) has sealed it.
 */

export interface StoredTotpSecret {
  id: string;
  org_id: string;
  totp_secret: string | null;
  totp_key_id: string | null;
}

export function totpAad(userId: string, orgId: string): string {
  return aadFor('users.totp_secret', userId, orgId, userId);
}

/** The column values for a secret: ciphertext and key id. */
export function sealTotpSecret(
  keyring: Keyring,
  userId: string,
  orgId: string,
  secret: string,
): { totp_secret: string; totp_key_id: string } {
  const sealed = seal(keyring, secret, totpAad(userId, orgId));
  return { totp_secret: sealed.ciphertext, totp_key_id: sealed.keyId };
}

/** The plain secret of a stored row (null when none); throws DecryptionError for a tampered or moved one. */
export function openTotpSecret(keyring: Keyring, row: StoredTotpSecret): string | null {
  if (row.totp_secret === null) return null;
  if (row.totp_key_id === null) return row.totp_secret; // written before migration 063
  return open<string>(keyring, { keyId: row.totp_key_id, ciphertext: row.totp_secret }, totpAad(row.id, row.org_id));
}

/**
 * Seals every TOTP secret still in plain text (the server runs it at every start) or, with
 * `rekey`, also every secret under another key than the current one (key rotation,
 * reflection-rotate.ts). Returns how many rows it rewrote. Idempotent.
 */
export async function sealPlaintextTotpSecrets(
  db: Kysely<Database>,
  keyring: Keyring,
  options: { rekey?: boolean } = {},
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('users')
      .select(['id', 'org_id', 'totp_secret', 'totp_key_id'])
      .where('totp_secret', 'is not', null)
      .where((eb) =>
        options.rekey
          ? eb.or([eb('totp_key_id', 'is', null), eb('totp_key_id', '!=', keyring.current.id)])
          : eb('totp_key_id', 'is', null),
      )
      .forUpdate()
      .execute();
    for (const row of rows) {
      const secret = openTotpSecret(keyring, row);
      if (secret === null) continue;
      await trx
        .updateTable('users')
        .set(sealTotpSecret(keyring, row.id, row.org_id, secret))
        .where('id', '=', row.id)
        .execute();
    }
    return rows.length;
  });
}
