import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { sealForSession } from '../../store/journal-keys.ts';
import { securitySettings } from '../../store/users.ts';
import type { StaffIdentity } from '../../domain/roles.ts';
import { totpRequiredFor } from './totp.ts';

/** Session lifetimes (OWASP ASVS 3.3): idle and absolute limits. */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A new session with a fresh random token; only the token's hash is stored. `journalKey` is the user's
 * journal data key (decision 0035), kept sealed under a key derived from the token.
 */
export async function createSession(
  db: Kysely<Database>,
  user: { id: string; org_id: string },
  journalKey: Buffer | null = null,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const id = hashToken(token);
  await db
    .insertInto('staff_sessions')
    .values({
      id,
      org_id: user.org_id,
      user_id: user.id,
      expires_at: new Date(Date.now() + ABSOLUTE_TIMEOUT_MS),
      journal_key: journalKey ? sealForSession(token, id, journalKey) : null,
    })
    .execute();
  return token;
}

/** A resolved session: the staff member plus whether they must enrol TOTP before anything else. */
export interface SessionIdentity extends StaffIdentity {
  mustEnrolTotp: boolean;
  totpEnabled: boolean;
  /** The sealed journal data key of this session, if its login unlocked one. */
  journalKey: string | null;
}

/** Resolves a cookie token to the staff member, enforcing idle and absolute timeouts. */
export async function resolveSession(
  db: Kysely<Database>,
  token: string,
  now = new Date(),
): Promise<SessionIdentity | null> {
  const id = hashToken(token);
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('organisations as o', 'o.id', 's.org_id')
    .select([
      's.id',
      's.user_id',
      's.org_id',
      's.last_seen_at',
      's.expires_at',
      's.journal_key',
      'u.roles',
      'u.display_name',
      'u.email',
      'u.active',
      'u.totp_enabled',
      'o.settings',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const idleFor = now.getTime() - new Date(row.last_seen_at).getTime();
  if (!row.active || now >= new Date(row.expires_at) || idleFor > IDLE_TIMEOUT_MS) {
    await db.deleteFrom('staff_sessions').where('id', '=', id).execute();
    return null;
  }
  // Touch at most once a minute to keep session reads cheap.
  if (idleFor > 60_000)
    await db.updateTable('staff_sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
  const mustEnrolTotp =
    !row.totp_enabled && totpRequiredFor(row.roles, securitySettings(row.settings ?? {}).requireTotp);
  return {
    sessionId: id,
    userId: row.user_id,
    orgId: row.org_id,
    roles: row.roles,
    displayName: row.display_name,
    email: row.email,
    mustEnrolTotp,
    totpEnabled: row.totp_enabled,
    journalKey: row.journal_key,
  };
}

export async function destroySession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('id', '=', sessionId).execute();
}
