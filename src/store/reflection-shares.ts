import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SpiegelError } from '../domain/errors.ts';
import type { JournalEntryContent } from '../domain/reflection/journal.ts';
import type { GoalContent } from '../domain/reflection/practice.ts';
import type { CheckPayload } from './reflection-checks.ts';
import { auditIn, auditRead, deny, isUuid, type Actor } from './reflection-common.ts';
import { refreshShareCopies } from './journal-reseal.ts';
import { aadFor, open, seal, type Keyring } from './reflection-crypto.ts';
import type { Database, ReflectionItemType } from './schema.ts';

/**
 * Sharing of single reflection items with a supervisor of the same organisation. The owner chooses the
 * item and the supervisor, and can revoke at any time. A supervisor reaches an item only through an
 * active share addressed to them; everyone else gets NOT_FOUND. Every step is audited.
 */

export const ITEM_TABLES = {
  self_check: 'self_checks',
  journal_entry: 'journal_entries',
  practice_goal: 'practice_goals',
} as const;

export function isItemType(value: unknown): value is ReflectionItemType {
  return value === 'self_check' || value === 'journal_entry' || value === 'practice_goal';
}

export interface Supervisor {
  id: string;
  displayName: string;
}

export interface ShareInfo {
  id: string;
  supervisor: Supervisor;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface Comment {
  id: string;
  shareId: string;
  authorId: string;
  authorName: string;
  createdAt: Date;
  text: string;
}

export type SharedItem =
  | { type: 'self_check'; id: string; completedAt: Date | null; startedAt: Date; payload: CheckPayload }
  | { type: 'journal_entry'; id: string; createdAt: Date; content: JournalEntryContent }
  | { type: 'practice_goal'; id: string; skill: string; createdAt: Date; content: GoalContent };

/** Active supervisors of the caller's organisation, the caller excluded. */
export async function listSupervisors(db: Kysely<Database>, actor: Actor): Promise<Supervisor[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('org_id', '=', actor.orgId)
    .where('active', '=', true)
    .where('id', '!=', actor.userId)
    .where((eb) => eb(eb.val('supervisor'), '=', eb.fn.any('roles')))
    .orderBy('display_name')
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
}

/** The item is the actor's own (and, for a self-check, completed: drafts are never shared). */
async function ownsItem(db: Kysely<Database>, actor: Actor, type: ReflectionItemType, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  if (type === 'self_check') {
    const check = await db
      .selectFrom('self_checks')
      .select('id')
      .where('id', '=', id)
      .where('org_id', '=', actor.orgId)
      .where('user_id', '=', actor.userId)
      .where('status', '=', 'completed')
      .executeTakeFirst();
    return Boolean(check);
  }
  const row = await db
    .selectFrom(ITEM_TABLES[type])
    .select('id')
    .where('id', '=', id)
    .where('org_id', '=', actor.orgId)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst();
  return Boolean(row);
}

/**
 * Shares one of the owner's items with a supervisor. The supervisor gets a copy sealed under the instance
 * key (`instance`), made from the owner's row opened with the owner's keys (`ownerKeys`, decision 0035).
 */
export async function createShare(
  db: Kysely<Database>,
  keys: { owner: Keyring; instance: Keyring },
  actor: Actor,
  type: ReflectionItemType,
  itemId: string,
  supervisorId: string,
): Promise<string> {
  if (!(await ownsItem(db, actor, type, itemId)))
    return deny(db, actor, 'reflection.share.create', type, isUuid(itemId) ? itemId : null);
  const supervisors = await listSupervisors(db, actor);
  if (!supervisors.some((s) => s.id === supervisorId))
    throw new SpiegelError('VALIDATION_FAILED', 'Choose a supervisor of your own organisation.', {
      field: 'supervisorId',
    });
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('reflection_shares')
      .select('id')
      .where('org_id', '=', actor.orgId)
      .where('item_type', '=', type)
      .where('item_id', '=', itemId)
      .where('supervisor_id', '=', supervisorId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (existing) return existing.id;
    const row = await trx
      .insertInto('reflection_shares')
      .values({
        org_id: actor.orgId,
        owner_id: actor.userId,
        supervisor_id: supervisorId,
        item_type: type,
        item_id: itemId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await refreshShareCopies(trx, actor, keys.owner, keys.instance, { type, id: itemId });
    await auditIn(trx, actor, 'reflection.share.create', 'reflection_share', row.id, {
      itemType: type,
      itemId,
      supervisorId,
    });
    return row.id;
  });
}

export async function revokeShare(db: Kysely<Database>, actor: Actor, shareId: string): Promise<void> {
  if (!isUuid(shareId)) return deny(db, actor, 'reflection.share.revoke', 'reflection_share', null);
  const done = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('reflection_shares')
      .set({ revoked_at: new Date() })
      .where('id', '=', shareId)
      .where('org_id', '=', actor.orgId)
      .where('owner_id', '=', actor.userId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'item_type', 'item_id'])
      .executeTakeFirst();
    if (row)
      await auditIn(trx, actor, 'reflection.share.revoke', 'reflection_share', shareId, {
        itemType: row.item_type,
        itemId: row.item_id,
      });
    return Boolean(row);
  });
  if (!done) await deny(db, actor, 'reflection.share.revoke', 'reflection_share', shareId);
}

const commentAad = (id: string, orgId: string, shareId: string) => aadFor('reflection_comments', id, orgId, shareId);

export async function commentsOf(
  db: Kysely<Database>,
  keyring: Keyring,
  orgId: string,
  shareIds: string[],
): Promise<Comment[]> {
  if (shareIds.length === 0) return [];
  const rows = await db
    .selectFrom('reflection_comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select(['c.id', 'c.share_id', 'c.author_id', 'u.display_name', 'c.created_at', 'c.key_id', 'c.ciphertext'])
    .where('c.org_id', '=', orgId)
    .where('c.share_id', 'in', shareIds)
    .orderBy('c.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    shareId: r.share_id,
    authorId: r.author_id,
    authorName: r.display_name,
    createdAt: new Date(r.created_at),
    text: open<{ text: string }>(
      keyring,
      { keyId: r.key_id, ciphertext: r.ciphertext },
      commentAad(r.id, orgId, r.share_id),
    ).text,
  }));
}

/** The owner's view of an item's shares (active and revoked) and all comments on it. */
export async function sharesOfItem(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  type: ReflectionItemType,
  itemId: string,
): Promise<{ shares: ShareInfo[]; comments: Comment[] }> {
  const rows = await db
    .selectFrom('reflection_shares as s')
    .innerJoin('users as u', 'u.id', 's.supervisor_id')
    .select(['s.id', 's.supervisor_id', 'u.display_name', 's.created_at', 's.revoked_at'])
    .where('s.org_id', '=', actor.orgId)
    .where('s.owner_id', '=', actor.userId)
    .where('s.item_type', '=', type)
    .where('s.item_id', '=', itemId)
    .orderBy('s.created_at')
    .execute();
  const comments = await commentsOf(
    db,
    keyring,
    actor.orgId,
    rows.map((r) => r.id),
  );
  if (comments.length > 0)
    await auditRead(db, actor, 'reflection.comment.read', 'reflection_comment', null, {
      itemType: type,
      itemId,
      count: comments.length,
    });
  return {
    shares: rows.map((r) => ({
      id: r.id,
      supervisor: { id: r.supervisor_id, displayName: r.display_name },
      createdAt: new Date(r.created_at),
      revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
    })),
    comments,
  };
}

export interface ActiveShare {
  id: string;
  ownerId: string;
  ownerName: string;
  supervisorId: string;
  itemType: ReflectionItemType;
  itemId: string;
  createdAt: Date;
}

export function activeShares(db: Kysely<Database>, orgId: string) {
  return db
    .selectFrom('reflection_shares as s')
    .innerJoin('users as o', 'o.id', 's.owner_id')
    .select(['s.id', 's.owner_id', 'o.display_name', 's.supervisor_id', 's.item_type', 's.item_id', 's.created_at'])
    .where('s.org_id', '=', orgId)
    .where('s.revoked_at', 'is', null);
}

export function toActive(r: {
  id: string;
  owner_id: string;
  display_name: string;
  supervisor_id: string;
  item_type: ReflectionItemType;
  item_id: string;
  created_at: Date;
}): ActiveShare {
  return {
    id: r.id,
    ownerId: r.owner_id,
    ownerName: r.display_name,
    supervisorId: r.supervisor_id,
    itemType: r.item_type,
    itemId: r.item_id,
    createdAt: new Date(r.created_at),
  };
}

export const MAX_COMMENT_LENGTH = 8000;

/**
 * A comment on an active share: `as: 'supervisor'` for the supervisor it is addressed to, `as: 'owner'`
 * for the item's owner replying on that thread. Nobody else reaches the share.
 */
export async function addComment(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  shareId: string,
  text: string,
  as: 'owner' | 'supervisor',
): Promise<string> {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > MAX_COMMENT_LENGTH)
    throw new SpiegelError('VALIDATION_FAILED', `A comment holds 1 to ${MAX_COMMENT_LENGTH} characters.`, {
      field: 'text',
    });
  const row = isUuid(shareId)
    ? await activeShares(db, actor.orgId)
        .where('s.id', '=', shareId)
        .where(as === 'supervisor' ? 's.supervisor_id' : 's.owner_id', '=', actor.userId)
        .executeTakeFirst()
    : undefined;
  if (!row) return deny(db, actor, 'reflection.comment.create', 'reflection_share', isUuid(shareId) ? shareId : null);
  const id = randomUUID();
  const sealed = seal(keyring, { text: trimmed }, commentAad(id, actor.orgId, shareId));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('reflection_comments')
      .values({
        id,
        org_id: actor.orgId,
        share_id: shareId,
        author_id: actor.userId,
        key_id: sealed.keyId,
        ciphertext: sealed.ciphertext,
      })
      .execute();
    await auditIn(trx, actor, 'reflection.comment.create', 'reflection_comment', id, { shareId });
  });
  return id;
}
