import { createHash, randomBytes } from 'node:crypto';
import { lockJournalKey } from './journal-keys.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Keyring } from './reflection-crypto.ts';
import type { Database, Role } from './schema.ts';
import { sealTotpSecret } from './totp-secrets.ts';

// Staff accounts: the admin's user list, single-use password links, TOTP state and the organisation's
// security settings. Every query is scoped by organisation where a caller names another user.

type Db = Kysely<Database> | Transaction<Database>;

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const RESET_TTL_MS = 60 * 60 * 1000;

export function sha256(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface OrgUser {
  id: string;
  email: string;
  display_name: string;
  roles: Role[];
  active: boolean;
  totp_enabled: boolean;
  has_password: boolean;
  created_at: Date;
}

export async function listOrgUsers(db: Db, orgId: string): Promise<OrgUser[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'roles', 'active', 'totp_enabled', 'password_hash', 'created_at'])
    .where('org_id', '=', orgId)
    .orderBy('display_name')
    .execute();
  return rows.map(({ password_hash, ...row }) => ({ ...row, has_password: password_hash !== null }));
}

/** A user of this organisation, or undefined (also for users of other organisations). */
export async function findOrgUser(db: Db, orgId: string, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'org_id', 'email', 'display_name', 'roles', 'active', 'totp_enabled'])
    .where('org_id', '=', orgId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'org_id', 'email', 'display_name', 'roles', 'active'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
}

export async function createInvitedUser(
  trx: Db,
  input: { orgId: string; email: string; displayName: string; roles: Role[] },
): Promise<string> {
  const row = await trx
    .insertInto('users')
    .values({
      org_id: input.orgId,
      email: input.email.trim(),
      display_name: input.displayName.trim(),
      roles: input.roles,
      gender: null,
      password_hash: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUserAccess(
  trx: Db,
  orgId: string,
  userId: string,
  change: { roles: Role[]; active: boolean },
): Promise<void> {
  await trx
    .updateTable('users')
    .set({ roles: change.roles, active: change.active })
    .where('org_id', '=', orgId)
    .where('id', '=', userId)
    .execute();
}

/** Ends every session of a user, except optionally the one in use (privilege or password change). */
/** Remembers the language a staff member chose, for mail sent to them outside a request (migration 061). */
export async function rememberLanguage(db: Db, userId: string, lang: 'nl' | 'en'): Promise<void> {
  await db
    .updateTable('users')
    .set({ lang })
    .where('id', '=', userId)
    .where('lang', 'is distinct from', lang)
    .execute();
}

export async function destroyUserSessions(trx: Db, userId: string, exceptSessionId?: string): Promise<number> {
  let query = trx.deleteFrom('staff_sessions').where('user_id', '=', userId);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Issues a single-use password link token. Earlier unused links of the user are retired, so only the
 * newest link works. Returns the token; only its hash is stored.
 */
export async function issuePasswordToken(
  trx: Db,
  input: { orgId: string; userId: string; purpose: 'invite' | 'reset'; createdBy: string | null; now?: Date },
): Promise<string> {
  const now = input.now ?? new Date();
  const token = randomBytes(32).toString('base64url');
  await trx
    .updateTable('password_tokens')
    .set({ used_at: now })
    .where('user_id', '=', input.userId)
    .where('used_at', 'is', null)
    .execute();
  await trx
    .insertInto('password_tokens')
    .values({
      org_id: input.orgId,
      user_id: input.userId,
      token_hash: sha256(token),
      purpose: input.purpose,
      created_by: input.createdBy,
      expires_at: new Date(now.getTime() + (input.purpose === 'invite' ? INVITE_TTL_MS : RESET_TTL_MS)),
    })
    .execute();
  return token;
}

export interface PasswordLink {
  tokenId: string;
  userId: string;
  orgId: string;
  purpose: 'invite' | 'reset';
  email: string;
  displayName: string;
}

/** The link behind a token if it is unused, unexpired and its user active; otherwise null. */
export async function findPasswordLink(
  db: Db,
  token: string,
  now = new Date(),
  lock = false,
): Promise<PasswordLink | null> {
  let query = db
    .selectFrom('password_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.user_id',
      't.org_id',
      't.purpose',
      't.expires_at',
      't.used_at',
      'u.email',
      'u.display_name',
      'u.active',
    ])
    .where('t.token_hash', '=', sha256(token));
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row || row.used_at || !row.active || new Date(row.expires_at) <= now) return null;
  return {
    tokenId: row.id,
    userId: row.user_id,
    orgId: row.org_id,
    purpose: row.purpose,
    email: row.email,
    displayName: row.display_name,
  };
}

/** Sets a new password hash, consumes the link and ends every session of the user. */
export async function setPasswordWithLink(
  trx: Transaction<Database>,
  link: PasswordLink,
  passwordHash: string,
  now = new Date(),
): Promise<void> {
  await trx
    .updateTable('password_tokens')
    .set({ used_at: now })
    .where('user_id', '=', link.userId)
    .where('used_at', 'is', null)
    .execute();
  await trx
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: now, failed_logins: 0, locked_until: null })
    .where('id', '=', link.userId)
    .execute();
  await destroyUserSessions(trx, link.userId);
  // Whoever set this password (the owner, or an admin holding the link) cannot open the old journal key.
  await lockJournalKey(trx, link.userId);
}

export async function changePassword(
  trx: Db,
  userId: string,
  passwordHash: string,
  keepSessionId: string,
  now = new Date(),
): Promise<void> {
  await trx
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: now })
    .where('id', '=', userId)
    .execute();
  await destroyUserSessions(trx, userId, keepSessionId);
}

export async function readCredentials(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'org_id',
      'email',
      'display_name',
      'roles',
      'password_hash',
      'totp_secret',
      'totp_key_id',
      'totp_enabled',
      'failed_logins',
    ])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}

/**
 * Reserves one password (or TOTP) attempt before it is evaluated, atomically: the row is updated only
 * while fewer than `maxFailures` attempts are counted and the account is not locked, so 40 concurrent
 * guesses evaluate at most `maxFailures`. The attempt that reaches the maximum sets the lock. A correct
 * attempt resets the count afterwards. Returns false when the account is locked (nothing evaluated).
 */
export async function reserveAttempt(db: Db, userId: string, maxFailures: number, lockMs: number): Promise<boolean> {
  const result = await sql<{ id: string }>`
    UPDATE users SET
      failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
      locked_until = CASE
        WHEN locked_until IS NOT NULL AND locked_until <= now() THEN NULL
        WHEN failed_logins + 1 >= ${maxFailures} THEN now() + ${lockMs} * interval '1 millisecond'
        ELSE NULL END
    WHERE id = ${userId}
      AND ((locked_until IS NULL AND failed_logins < ${maxFailures}) OR locked_until <= now())
    RETURNING id`.execute(db);
  return result.rows.length === 1;
}

/**
 * Stores a pending (not yet confirmed) TOTP secret, sealed (totp-secrets.ts); a confirmed one is never
 * overwritten here.
 */
export async function setPendingTotpSecret(
  db: Db,
  keyring: Keyring,
  user: { id: string; org_id: string },
  secret: string,
): Promise<void> {
  const userId = user.id;
  await db
    .updateTable('users')
    .set({ ...sealTotpSecret(keyring, user.id, user.org_id, secret), totp_last_step: null })
    .where('id', '=', userId)
    .where('totp_enabled', '=', false)
    .execute();
}

export async function enableTotp(db: Db, userId: string): Promise<void> {
  await db.updateTable('users').set({ totp_enabled: true }).where('id', '=', userId).execute();
}

export async function resetTotp(db: Db, orgId: string, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_enabled: false, totp_secret: null, totp_key_id: null, totp_last_step: null })
    .where('org_id', '=', orgId)
    .where('id', '=', userId)
    .execute();
}

/**
 * Records the time step of an accepted TOTP code. Returns false when that step (or a later one) was
 * already used: the same code is never accepted twice.
 */
export async function claimTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The organisation's settings object (security settings live next to the feature settings). */
export async function readOrgSettings(db: Db, orgId: string): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('organisations').select('settings').where('id', '=', orgId).executeTakeFirstOrThrow();
  return row.settings ?? {};
}

/** Merges `patch` into the settings object, keeping keys other features own. */
export async function mergeOrgSettings(
  trx: Db,
  orgId: string,
  patch: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const current = await trx
    .selectFrom('organisations')
    .select('settings')
    .where('id', '=', orgId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const next = { ...(current.settings ?? {}), ...patch };
  await trx
    .updateTable('organisations')
    .set({ settings: JSON.stringify(next) })
    .where('id', '=', orgId)
    .execute();
  return next;
}

export interface SecuritySettings {
  /** Staff with TOTP_REQUIRED_ROLES must enrol TOTP before anything else. */
  requireTotp: boolean;
  /** Audit rows older than this many days may be deleted by the retention job; null keeps them. */
  auditRetentionDays: number | null;
  /** Clients whose episodes all ended more than this many years ago are erased; null is off. */
  clientRetentionYears: number | null;
}

export const AUDIT_RETENTION_DAYS = { min: 90, max: 36_500 } as const;
export const CLIENT_RETENTION_YEARS = { min: 1, max: 100 } as const;

function boundedInteger(value: unknown, range: { min: number; max: number }): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max
    ? value
    : null;
}

/** Reads the security settings from an organisation's settings object; anything invalid is the default. */
export function securitySettings(settings: Record<string, unknown>): SecuritySettings {
  return {
    requireTotp: settings.requireTotp === true,
    auditRetentionDays: boundedInteger(settings.auditRetentionDays, AUDIT_RETENTION_DAYS),
    clientRetentionYears: boundedInteger(settings.clientRetentionYears, CLIENT_RETENTION_YEARS),
  };
}
