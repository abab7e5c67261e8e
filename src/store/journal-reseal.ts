import type { Kysely, Transaction } from 'kysely';
import type { Actor } from './reflection-common.ts';
import { aadFor, open, seal, type Keyring } from './reflection-crypto.ts';
import type { Database, ReflectionItemType } from './schema.ts';

/**
 * Moving a therapist's reflections between keys (decision 0035), and the supervisor's copy of a shared
 * item. Owned rows are sealed under the owner's data key (DK); a supervisor never holds that key, so a
 * share keeps its own copy of the item, sealed under the instance key and refreshed when the owner
 * edits the item (the owner's request holds the DK then).
 */

type Db = Kysely<Database> | Transaction<Database>;
export type KeyOwner = Pick<Actor, 'orgId' | 'userId'>;
const OWNED = ['self_checks', 'journal_entries', 'practice_goals', 'practice_logs'] as const;
const ITEM_TABLE = {
  self_check: 'self_checks',
  journal_entry: 'journal_entries',
  practice_goal: 'practice_goals',
} as const satisfies Record<ReflectionItemType, (typeof OWNED)[number]>;

export const shareCopyAad = (shareId: string, owner: KeyOwner) =>
  aadFor('reflection_shares', shareId, owner.orgId, owner.userId);

/** How many of the user's reflection rows are sealed under one of `keyIds`. */
export async function countOwnedRows(db: Db, userId: string, keyIds: string[]): Promise<number> {
  let total = 0;
  for (const table of OWNED) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('key_id', 'in', keyIds)
      .executeTakeFirstOrThrow();
    total += Number(row.n);
  }
  return total;
}

/**
 * Staff members whose reflections are still under an instance key (`keyIds`): they have not logged in
 * since per-user keys came (migration 066), so whoever holds the instance key can still read them.
 */
export async function usersOnInstanceKey(db: Db, keyIds: string[]): Promise<Array<{ email: string; rows: number }>> {
  const counts = new Map<string, number>();
  for (const table of OWNED) {
    const rows = await db
      .selectFrom(table)
      .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('key_id', 'in', keyIds)
      .groupBy('user_id')
      .execute();
    for (const r of rows) counts.set(r.user_id, (counts.get(r.user_id) ?? 0) + Number(r.n));
  }
  if (counts.size === 0) return [];
  const users = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('id', 'in', [...counts.keys()])
    .execute();
  return users.map((u) => ({ email: u.email, rows: counts.get(u.id)! })).sort((a, b) => a.email.localeCompare(b.email));
}

/**
 * Re-seals the owner's rows whose key is one of `fromIds` (opened with `from`) under `to`'s current key,
 * then renews the copies of the owner's active shares. Runs inside the caller's transaction.
 */
export async function resealOwnedRows(
  trx: Transaction<Database>,
  owner: KeyOwner,
  from: Keyring,
  to: Keyring,
  fromIds: string[],
  instance: Keyring,
): Promise<void> {
  if (fromIds.length === 0) return;
  for (const table of OWNED) {
    const rows = await trx
      .selectFrom(table)
      .select(['id', 'key_id', 'ciphertext'])
      .where('org_id', '=', owner.orgId)
      .where('user_id', '=', owner.userId)
      .where('key_id', 'in', fromIds)
      .forUpdate()
      .execute();
    for (const row of rows) {
      const aad = aadFor(table, row.id, owner.orgId, owner.userId);
      const sealed = seal(to, open(from, { keyId: row.key_id, ciphertext: row.ciphertext }, aad), aad);
      await trx
        .updateTable(table)
        .set({ key_id: sealed.keyId, ciphertext: sealed.ciphertext })
        .where('id', '=', row.id)
        .execute();
    }
  }
  await refreshShareCopies(trx, owner, to, instance);
}

/**
 * Renews the supervisor's copy of the owner's active shares (of one item, or all), from the owner's rows
 * opened with `ownerKeys`. A row that this keyring cannot open (a locked key) keeps its old copy.
 */
export async function refreshShareCopies(
  db: Db,
  owner: KeyOwner,
  ownerKeys: Keyring,
  instance: Keyring,
  item?: { type: ReflectionItemType; id: string },
): Promise<void> {
  let query = db
    .selectFrom('reflection_shares')
    .select(['id', 'item_type', 'item_id'])
    .where('org_id', '=', owner.orgId)
    .where('owner_id', '=', owner.userId)
    .where('revoked_at', 'is', null);
  if (item) query = query.where('item_type', '=', item.type).where('item_id', '=', item.id);
  for (const share of await query.execute()) {
    const table = ITEM_TABLE[share.item_type];
    const row = await db
      .selectFrom(table)
      .select(['key_id', 'ciphertext'])
      .where('id', '=', share.item_id)
      .where('user_id', '=', owner.userId)
      .executeTakeFirst();
    if (!row || !ownerKeys.keys.has(row.key_id)) continue;
    const value = open(
      ownerKeys,
      { keyId: row.key_id, ciphertext: row.ciphertext },
      aadFor(table, share.item_id, owner.orgId, owner.userId),
    );
    const copy = seal(instance, value, shareCopyAad(share.id, owner));
    await db
      .updateTable('reflection_shares')
      .set({ key_id: copy.keyId, ciphertext: copy.ciphertext })
      .where('id', '=', share.id)
      .execute();
  }
}
