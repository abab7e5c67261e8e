import { SpiegelError, type ErrorCode } from '../domain/errors.ts';

// Two identical requests that race each other both pass the handler's checks, and the database's unique
// constraint stops the second. That is a conflict (409) with a stable code, never a 500.
const BY_CONSTRAINT: Record<string, ErrorCode> = {
  users_org_id_email_key: 'EMAIL_IN_USE',
  users_email_idx: 'EMAIL_IN_USE',
  clients_org_id_code_key: 'CLIENT_CODE_IN_USE',
  therapy_sessions_episode_id_number_key: 'SESSION_NUMBER_IN_USE',
  self_checks_one_draft_idx: 'DRAFT_EXISTS',
  reflection_shares_active_idx: 'SHARE_EXISTS',
};

// A row referenced by a racing request that another request just deleted (an erasure racing a submit),
// a serialization failure or a deadlock: also a conflict the client can retry, not a bug.
const CONFLICT_STATES = new Set(['23503', '40001', '40P01']);

/** The SpiegelError for a unique violation (SQLSTATE 23505) or another race, or null for any other error. */
export function uniqueViolation(error: unknown): SpiegelError | null {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  if (!e || typeof e !== 'object') return null;
  if (typeof e.code === 'string' && CONFLICT_STATES.has(e.code)) return new SpiegelError('CONFLICT');
  if (e.code !== '23505') return null;
  const constraint = typeof e.constraint === 'string' ? e.constraint : '';
  return new SpiegelError(BY_CONSTRAINT[constraint] ?? 'CONFLICT');
}
