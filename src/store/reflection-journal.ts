import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { matchesSearch, type JournalEntryContent } from '../domain/reflection/journal.ts';
import { refreshShareCopies } from './journal-reseal.ts';
import { auditIn, auditRead, deny, isUuid, locked, type Actor } from './reflection-common.ts';
import { aadFor, open, seal, type Keyring } from './reflection-crypto.ts';
import type { Database } from './schema.ts';

/**
 * Journal storage. Entries are encrypted as a whole (template, title, fields, tags). Search decrypts
 * the owner's own entries in memory and filters them there (see docs/reflection.md): no searchable
 * index, hashed or otherwise, ever reaches the database, so nothing about the words can leak from it.
 */

export interface JournalEntry {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  content: JournalEntryContent;
}

const aad = (id: string, actor: { orgId: string; userId: string }) =>
  aadFor('journal_entries', id, actor.orgId, actor.userId);

export async function createEntry(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  content: JournalEntryContent,
): Promise<string> {
  const id = randomUUID();
  const sealed = seal(keyring, content, aad(id, actor));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('journal_entries')
      .values({ id, org_id: actor.orgId, user_id: actor.userId, key_id: sealed.keyId, ciphertext: sealed.ciphertext })
      .execute();
    await auditIn(trx, actor, 'reflection.journal.create', 'journal_entry', id, { template: content.template });
  });
  return id;
}

/** Saves an edit under the owner's key and renews the supervisors' copies of the entry (decision 0035). */
export async function updateEntry(
  db: Kysely<Database>,
  keys: { owner: Keyring; instance: Keyring },
  actor: Actor,
  id: string,
  content: JournalEntryContent,
): Promise<void> {
  if (!isUuid(id)) return deny(db, actor, 'reflection.journal.write', 'journal_entry', null);
  const sealed = seal(keys.owner, content, aad(id, actor));
  const updated = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('journal_entries')
      .set({ key_id: sealed.keyId, ciphertext: sealed.ciphertext, updated_at: new Date() })
      .where('id', '=', id)
      .where('org_id', '=', actor.orgId)
      .where('user_id', '=', actor.userId)
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await refreshShareCopies(trx, actor, keys.owner, keys.instance, { type: 'journal_entry', id });
    await auditIn(trx, actor, 'reflection.journal.write', 'journal_entry', id);
    return true;
  });
  if (!updated) await deny(db, actor, 'reflection.journal.write', 'journal_entry', id);
}

export async function readEntry(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  id: string,
): Promise<JournalEntry> {
  const row = isUuid(id)
    ? await db
        .selectFrom('journal_entries')
        .selectAll()
        .where('id', '=', id)
        .where('org_id', '=', actor.orgId)
        .where('user_id', '=', actor.userId)
        .executeTakeFirst()
    : undefined;
  if (!row) return deny(db, actor, 'reflection.journal.read', 'journal_entry', isUuid(id) ? id : null);
  if (!keyring.keys.has(row.key_id)) return locked(db, actor, 'reflection.journal.read', 'journal_entry', row.id);
  const content = open<JournalEntryContent>(
    keyring,
    { keyId: row.key_id, ciphertext: row.ciphertext },
    aad(row.id, actor),
  );
  await auditRead(db, actor, 'reflection.journal.read', 'journal_entry', id);
  return { id: row.id, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at), content };
}

/**
 * The owner's entries, newest first, filtered in memory by the search words and tag. The audit row
 * records that a search happened and how many entries matched, never the query.
 */
export async function searchEntries(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: Actor,
  query = '',
  tag: string | null = null,
): Promise<JournalEntry[]> {
  const rows = await db
    .selectFrom('journal_entries')
    .selectAll()
    .where('org_id', '=', actor.orgId)
    .where('user_id', '=', actor.userId)
    .orderBy('created_at', 'desc')
    .execute();
  // Entries under a locked key (decision 0035) are left out; the journal page says how many.
  const entries = rows
    .filter((row) => keyring.keys.has(row.key_id))
    .map((row) => ({
      id: row.id,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
      content: open<JournalEntryContent>(
        keyring,
        { keyId: row.key_id, ciphertext: row.ciphertext },
        aad(row.id, actor),
      ),
    }));
  const hits = entries.filter((e) => matchesSearch(e.content, query, tag));
  await auditRead(
    db,
    actor,
    query || tag ? 'reflection.journal.search' : 'reflection.journal.list',
    'journal_entry',
    null,
    { total: rows.length, matched: hits.length },
  );
  return hits;
}

/** Every tag the owner uses, for the filter (decrypts in memory; audited as a list). */
export function tagsOf(entries: JournalEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => e.content.tags))].sort((a, b) => a.localeCompare(b));
}

export async function deleteEntry(db: Kysely<Database>, actor: Actor, id: string): Promise<void> {
  if (!isUuid(id)) return deny(db, actor, 'reflection.journal.delete', 'journal_entry', null);
  const deleted = await db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom('journal_entries')
      .where('id', '=', id)
      .where('org_id', '=', actor.orgId)
      .where('user_id', '=', actor.userId)
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await trx
      .deleteFrom('reflection_shares')
      .where('item_type', '=', 'journal_entry')
      .where('item_id', '=', id)
      .where('owner_id', '=', actor.userId)
      .execute();
    await auditIn(trx, actor, 'reflection.journal.delete', 'journal_entry', id);
    return true;
  });
  if (!deleted) await deny(db, actor, 'reflection.journal.delete', 'journal_entry', id);
}
