import type { Kysely, Transaction } from 'kysely';
import { SpiegelError } from '../domain/errors.ts';
import { appendAudit, audit, type AuditEntry } from './audit.ts';
import type { Database } from './schema.ts';

/**
 * Shared plumbing of the reflection store: who is acting, and the audit trail. Every read and write of
 * reflections is audited; a request for someone else's item is audited as denied and answered with
 * NOT_FOUND, so existence is not revealed.
 */

export interface Actor {
  orgId: string;
  userId: string;
  roles: string[];
  ip?: string | null;
}

export type Db = Kysely<Database> | Transaction<Database>;

export type ReflectionSubject =
  | 'self_check'
  | 'journal_entry'
  | 'practice_goal'
  | 'practice_log'
  | 'reflection_share'
  | 'reflection_comment'
  | 'reflection_settings';

function entry(
  actor: Actor,
  action: string,
  subjectType: ReflectionSubject,
  subjectId: string | null,
  outcome: AuditEntry['outcome'],
  details?: Record<string, unknown>,
): AuditEntry {
  return {
    orgId: actor.orgId,
    actorId: actor.userId,
    actorRole: actor.roles.join(','),
    action,
    subjectType,
    subjectId,
    ip: actor.ip ?? null,
    outcome,
    details,
  };
}

/** Audits inside the caller's transaction (writes). */
export function auditIn(
  trx: Transaction<Database>,
  actor: Actor,
  action: string,
  subjectType: ReflectionSubject,
  subjectId: string | null,
  details?: Record<string, unknown>,
): Promise<void> {
  return appendAudit(trx, entry(actor, action, subjectType, subjectId, 'ok', details));
}

/** Audits a read in its own transaction. */
export function auditRead(
  db: Kysely<Database>,
  actor: Actor,
  action: string,
  subjectType: ReflectionSubject,
  subjectId: string | null,
  details?: Record<string, unknown>,
): Promise<void> {
  return audit(db, entry(actor, action, subjectType, subjectId, 'ok', details));
}

/** Records the refused attempt, then throws NOT_FOUND. */
export async function deny(
  db: Kysely<Database>,
  actor: Actor,
  action: string,
  subjectType: ReflectionSubject,
  subjectId: string | null,
): Promise<never> {
  await audit(db, entry(actor, action, subjectType, subjectId, 'denied'));
  throw new SpiegelError('NOT_FOUND');
}

/**
 * The item is sealed under one of the owner's locked journal keys (decision 0035): audited as denied,
 * answered with JOURNAL_LOCKED so the owner learns how to open it again.
 */
export async function locked(
  db: Kysely<Database>,
  actor: Actor,
  action: string,
  subjectType: ReflectionSubject,
  subjectId: string,
): Promise<never> {
  await audit(db, entry(actor, action, subjectType, subjectId, 'denied', { reason: 'locked' }));
  throw new SpiegelError('JOURNAL_LOCKED');
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
