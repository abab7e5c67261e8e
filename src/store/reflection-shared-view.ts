import type { Kysely } from 'kysely';
import type { JournalEntryContent } from '../domain/reflection/journal.ts';
import type { GoalContent } from '../domain/reflection/practice.ts';
import { shareCopyAad } from './journal-reseal.ts';
import type { CheckPayload } from './reflection-checks.ts';
import { auditRead, deny, isUuid, type Actor } from './reflection-common.ts';
import { aadFor, open, type Keyring } from './reflection-crypto.ts';
import {
  activeShares,
  commentsOf,
  toActive,
  type ActiveShare,
  type Comment,
  type ITEM_TABLES,
  type SharedItem,
} from './reflection-shares.ts';
import type { Database, ReflectionItemType } from './schema.ts';

/** The supervisor's side of sharing: the items shared with them, read from each share's own copy. */

/**
 * The shared item as its supervisor sees it: the share's own copy under the instance key; a share from
 * before migration 066 whose owner has not logged in since still reads the owner's row.
 */
async function loadItem(
  db: Kysely<Database>,
  keyring: Keyring,
  orgId: string,
  share: ActiveShare,
): Promise<SharedItem | null> {
  const owner = { orgId, userId: share.ownerId };
  const base = (table: (typeof ITEM_TABLES)[ReflectionItemType]) =>
    db
      .selectFrom(table)
      .where('id', '=', share.itemId)
      .where('org_id', '=', orgId)
      .where('user_id', '=', share.ownerId);
  const copy = await db
    .selectFrom('reflection_shares')
    .select(['key_id', 'ciphertext'])
    .where('id', '=', share.id)
    .executeTakeFirstOrThrow();
  const content = <T>(r: { id: string; key_id: string; ciphertext: string }, table: string): T =>
    copy.key_id && copy.ciphertext
      ? open<T>(keyring, { keyId: copy.key_id, ciphertext: copy.ciphertext }, shareCopyAad(share.id, owner))
      : open<T>(keyring, { keyId: r.key_id, ciphertext: r.ciphertext }, aadFor(table, r.id, owner.orgId, owner.userId));
  // No copy and the row is under the owner's own key: nothing the supervisor's request can open.
  const readable = (r: { key_id: string } | undefined): r is NonNullable<typeof r> =>
    r !== undefined && (Boolean(copy.ciphertext) || keyring.keys.has(r.key_id));
  if (share.itemType === 'self_check') {
    const r = await base('self_checks').selectAll().executeTakeFirst();
    if (!readable(r)) return null;
    const payload = content<CheckPayload>(r, 'self_checks');
    return {
      type: 'self_check',
      id: r.id,
      startedAt: new Date(r.started_at),
      completedAt: r.completed_at ? new Date(r.completed_at) : null,
      payload,
    };
  }
  if (share.itemType === 'journal_entry') {
    const r = await base('journal_entries').selectAll().executeTakeFirst();
    if (!readable(r)) return null;
    return {
      type: 'journal_entry',
      id: r.id,
      createdAt: new Date(r.created_at),
      content: content<JournalEntryContent>(r, 'journal_entries'),
    };
  }
  const r = await base('practice_goals').selectAll().executeTakeFirst();
  if (!readable(r)) return null;
  return {
    type: 'practice_goal',
    id: r.id,
    skill: r.skill,
    createdAt: new Date(r.created_at),
    content: content<GoalContent>(r, 'practice_goals'),
  };
}

/** Items shared with the calling supervisor (active shares only), with their titles decrypted. */
export async function sharedWithMe(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
): Promise<Array<ActiveShare & { item: SharedItem }>> {
  const rows = (
    await activeShares(db, actor.orgId)
      .where('s.supervisor_id', '=', actor.userId)
      .orderBy('s.created_at', 'desc')
      .execute()
  ).map(toActive);
  const out: Array<ActiveShare & { item: SharedItem }> = [];
  for (const share of rows) {
    const item = await loadItem(db, keyring, actor.orgId, share);
    if (item) out.push({ ...share, item });
  }
  await auditRead(db, actor, 'reflection.shared.list', 'reflection_share', null, { count: out.length });
  return out;
}

/** One item shared with the calling supervisor, with the comments of that share. */
export async function readShared(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  shareId: string,
): Promise<ActiveShare & { item: SharedItem; comments: Comment[] }> {
  const row = isUuid(shareId)
    ? await activeShares(db, actor.orgId)
        .where('s.id', '=', shareId)
        .where('s.supervisor_id', '=', actor.userId)
        .executeTakeFirst()
    : undefined;
  const share = row ? toActive(row) : null;
  const item = share ? await loadItem(db, keyring, actor.orgId, share) : null;
  if (!share || !item)
    return deny(db, actor, 'reflection.shared.read', 'reflection_share', isUuid(shareId) ? shareId : null);
  const comments = await commentsOf(db, keyring, actor.orgId, [share.id]);
  await auditRead(db, actor, 'reflection.shared.read', 'reflection_share', share.id, {
    itemType: share.itemType,
    itemId: share.itemId,
    ownerId: share.ownerId,
  });
  return { ...share, item, comments };
}
