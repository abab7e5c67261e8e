import argon2 from 'argon2';
import { hkdfSync, randomBytes, randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { SpiegelError } from '../domain/errors.ts';
import { keyId, keyringFromKeys, open, seal, type Keyring } from './reflection-crypto.ts';
import { countOwnedRows, resealOwnedRows, type KeyOwner } from './journal-reseal.ts';
import type { Database } from './schema.ts';

/**
 * Per-user journal keys (decision 0035). A therapist's reflections are sealed under their own random
 * data key (DK). The server holds a DK only while its owner is logged in: it is unwrapped at login with
 * the password and kept in the session row, sealed under a key derived from the cookie token. A password
 * set through a link (admin link, forgotten password) cannot unwrap it, so whoever sets that password
 * gets an empty journal; the old key is 'locked' until its owner enters the previous password or their
 * recovery code.
 */

type Db = Kysely<Database> | Transaction<Database>;

export type { KeyOwner };

const SALT_BYTES = 16;
// The password parameters of passwords.ts (OWASP: argon2id, m = 19 MiB, t = 2, p = 1), raw 32-byte output.
const PASSWORD_KDF = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  hashLength: 32,
} as const;
// Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
const RECOVERY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECOVERY_LENGTH = 20; // 100 bits: HKDF is enough, no slow hash needed

type Purpose = 'password' | 'recovery' | 'session';

function wrapAad(purpose: Purpose, owner: string): string {
  return `spiegel/journal_keys/${purpose}/${owner}`;
}

function sealWith(kek: Buffer, dk: Buffer, aad: string): string {
  return seal(keyringFromKeys(kek), dk.toString('base64'), aad).ciphertext;
}

/** The DK, or null when this key-encryption key does not open it. */
function openWith(kek: Buffer, ciphertext: string, aad: string): Buffer | null {
  try {
    return Buffer.from(open<string>(keyringFromKeys(kek), { keyId: keyId(kek), ciphertext }, aad), 'base64');
  } catch {
    return null;
  }
}

async function passwordKek(password: string, salt: Buffer): Promise<Buffer> {
  return argon2.hash(password, { ...PASSWORD_KDF, salt, raw: true });
}

function recoveryKek(code: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', normaliseRecoveryCode(code), salt, 'spiegel-journal-recovery', 32));
}

/** Upper case, without spaces or dashes, and the look-alikes O, I and L read as 0, 1 and 1. */
export function normaliseRecoveryCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

async function wrapByPassword(dk: Buffer, password: string, userId: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return `${salt.toString('base64')}:${sealWith(await passwordKek(password, salt), dk, wrapAad('password', userId))}`;
}

async function unwrapByPassword(wrapped: string, password: string, userId: string): Promise<Buffer | null> {
  const [salt, ciphertext] = wrapped.split(':', 2);
  if (!salt || !ciphertext) return null;
  return openWith(await passwordKek(password, Buffer.from(salt, 'base64')), ciphertext, wrapAad('password', userId));
}

function unwrapByRecovery(wrapped: string, code: string, userId: string): Buffer | null {
  const [salt, ciphertext] = wrapped.split(':', 2);
  if (!salt || !ciphertext) return null;
  return openWith(recoveryKek(code, Buffer.from(salt, 'base64')), ciphertext, wrapAad('recovery', userId));
}

/**
 * The reflections keyring of a logged-in owner: their DK seals new rows; the instance keys still open
 * rows written before the owner's first login after the upgrade (their AAD binds them to this owner).
 */
export function ownerKeyring(dk: Buffer, instance: Keyring): Keyring {
  const keys = new Map(instance.keys);
  keys.set(keyId(dk), dk);
  return { current: { id: keyId(dk), key: dk }, keys, development: false };
}

/**
 * At login, with the verified password: the owner's DK. The first login after the upgrade (or after a
 * reset by link) makes a new DK and moves the owner's rows that are still under the instance key to it.
 */
export async function journalKeyAtLogin(
  db: Kysely<Database>,
  instance: Keyring,
  owner: KeyOwner,
  password: string,
): Promise<Buffer> {
  return db.transaction().execute(async (trx) => {
    // One login at a time per user makes the key, so two concurrent first logins agree on one DK.
    await trx.selectFrom('users').select('id').where('id', '=', owner.userId).forUpdate().executeTakeFirst();
    const current = await trx
      .selectFrom('journal_keys')
      .selectAll()
      .where('user_id', '=', owner.userId)
      .where('status', '=', 'current')
      .executeTakeFirst();
    if (current?.by_password) {
      const dk = await unwrapByPassword(current.by_password, password, owner.userId);
      if (dk) return dk;
    }
    // The password does not open it (set outside the app): it stays for the recovery code or old password.
    if (current) await trx.updateTable('journal_keys').set({ status: 'locked' }).where('id', '=', current.id).execute();
    const dk = randomBytes(32);
    await trx
      .insertInto('journal_keys')
      .values({
        id: keyId(dk),
        org_id: owner.orgId,
        user_id: owner.userId,
        status: 'current',
        by_password: await wrapByPassword(dk, password, owner.userId),
      })
      .execute();
    await resealOwnedRows(trx, owner, instance, ownerKeyring(dk, instance), [...instance.keys.keys()], instance);
    return dk;
  });
}

/** After a password change with the current password: the DK is rewrapped, nothing is re-encrypted. */
export async function rewrapForNewPassword(
  trx: Transaction<Database>,
  userId: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const current = await trx
    .selectFrom('journal_keys')
    .select(['id', 'by_password'])
    .where('user_id', '=', userId)
    .where('status', '=', 'current')
    .executeTakeFirst();
  if (!current?.by_password) return; // no key yet: the next login makes one under the new password
  const dk = await unwrapByPassword(current.by_password, currentPassword, userId);
  if (!dk) return; // set outside the app; the next login locks it and starts a new one
  await trx
    .updateTable('journal_keys')
    .set({ by_password: await wrapByPassword(dk, newPassword, userId) })
    .where('id', '=', current.id)
    .execute();
}

/** A password set through a link cannot unwrap the DK: it is locked, and the next login starts a new one. */
export async function lockJournalKey(trx: Transaction<Database>, userId: string): Promise<void> {
  await trx
    .updateTable('journal_keys')
    .set({ status: 'locked' })
    .where('user_id', '=', userId)
    .where('status', '=', 'current')
    .execute();
}

/** A new recovery code for the current DK (any older code stops working). Shown once, stored never. */
export async function newRecoveryCode(db: Kysely<Database>, owner: KeyOwner, dk: Buffer): Promise<string> {
  let code = '';
  for (let i = 0; i < RECOVERY_LENGTH; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  const salt = randomBytes(SALT_BYTES);
  const wrapped = `${salt.toString('base64')}:${sealWith(recoveryKek(code, salt), dk, wrapAad('recovery', owner.userId))}`;
  const done = await db
    .updateTable('journal_keys')
    .set({ by_recovery: wrapped })
    .where('id', '=', keyId(dk))
    .where('user_id', '=', owner.userId)
    .where('status', '=', 'current')
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw new SpiegelError('JOURNAL_KEY_MISSING');
  return code.match(/.{5}/g)!.join('-');
}

export interface JournalKeyState {
  hasRecoveryCode: boolean;
  /** Reflections (check-ups, entries, goals, practice notes) under a locked key. */
  lockedItems: number;
}

export async function journalKeyState(db: Kysely<Database>, userId: string): Promise<JournalKeyState> {
  const rows = await db
    .selectFrom('journal_keys')
    .select(['id', 'status', 'by_recovery'])
    .where('user_id', '=', userId)
    .execute();
  const lockedIds = rows.filter((r) => r.status === 'locked').map((r) => r.id);
  return {
    hasRecoveryCode: rows.some((r) => r.status === 'current' && r.by_recovery !== null),
    lockedItems: lockedIds.length > 0 ? await countOwnedRows(db, userId, lockedIds) : 0,
  };
}

/**
 * Opens the owner's locked keys that the secret (a previous password or a recovery code) unwraps, moves
 * their rows to the current DK and forgets them. Returns how many keys were opened.
 */
export async function unlockOldKeys(
  db: Kysely<Database>,
  instance: Keyring,
  owner: KeyOwner,
  dk: Buffer,
  secret: string,
): Promise<number> {
  const locked = await db
    .selectFrom('journal_keys')
    .selectAll()
    .where('user_id', '=', owner.userId)
    .where('status', '=', 'locked')
    .execute();
  const opened: Buffer[] = [];
  for (const row of locked) {
    const old =
      (row.by_recovery ? unwrapByRecovery(row.by_recovery, secret, owner.userId) : null) ??
      (row.by_password ? await unwrapByPassword(row.by_password, secret, owner.userId) : null);
    if (old) opened.push(old);
  }
  if (opened.length === 0) return 0;
  const target = ownerKeyring(dk, instance);
  const from = keyringFromKeys(opened[0], opened.slice(1));
  await db.transaction().execute(async (trx) => {
    await resealOwnedRows(trx, owner, from, target, [...from.keys.keys()], instance);
    await trx
      .deleteFrom('journal_keys')
      .where('user_id', '=', owner.userId)
      .where('id', 'in', [...from.keys.keys()])
      .execute();
  });
  return opened.length;
}

/** Seals the DK for one session, under a key only the holder of the cookie token can derive. */
export function sealForSession(token: string, sessionId: string, dk: Buffer): string {
  return sealWith(sessionKek(token), dk, wrapAad('session', sessionId));
}

export function openFromSession(token: string, sessionId: string, sealed: string): Buffer | null {
  return openWith(sessionKek(token), sealed, wrapAad('session', sessionId));
}

function sessionKek(token: string): Buffer {
  return Buffer.from(hkdfSync('sha256', token, '', 'spiegel-session-journal-key', 32));
}

export async function storeSessionJournalKey(db: Db, sessionId: string, sealed: string): Promise<void> {
  await db.updateTable('staff_sessions').set({ journal_key: sealed }).where('id', '=', sessionId).execute();
}
