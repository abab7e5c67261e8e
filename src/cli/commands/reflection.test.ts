import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { JournalEntryContent } from '../../domain/reflection/journal.ts';
import { keyringFromKeys } from '../../store/reflection-crypto.ts';
import { createEntry } from '../../store/reflection-journal.ts';
import { freshStore } from '../../store/testing.ts';
import { keyStatus } from './reflection.ts';

const entry: JournalEntryContent = {
  template: 'free',
  mode: null,
  title: 'x',
  occurredOn: null,
  fields: { text: 'x' },
  tags: [],
};

it('spiegel reflection status lists who still has reflections under the instance key', async () => {
  const store = await freshStore('pglite');
  try {
    const { id: orgId } = await store.db
      .insertInto('organisations')
      .values({ slug: 'keys-cli', name: 'Keys CLI', settings: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = async (email: string) =>
      (
        await store.db
          .insertInto('users')
          .values({
            org_id: orgId,
            email,
            display_name: email,
            roles: ['therapist'],
            gender: null,
            password_hash: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const instance = keyringFromKeys(randomBytes(32));
    const own = keyringFromKeys(randomBytes(32));
    const old = { orgId, userId: await user('old@x.test'), roles: ['therapist'] };
    const moved = { orgId, userId: await user('moved@x.test'), roles: ['therapist'] };
    expect(await keyStatus(store.db, instance)).toBe('Every reflection is under its owner’s own journal key.\n');
    await createEntry(store.db, instance, old, entry);
    await createEntry(store.db, instance, old, entry);
    await createEntry(store.db, own, moved, entry);
    expect(await keyStatus(store.db, instance)).toBe(
      '1 staff member(s) still have reflections under the instance key (not logged in since migration 066):\n' +
        '  old@x.test: 2 row(s)\n',
    );
  } finally {
    await store.drop();
  }
});
