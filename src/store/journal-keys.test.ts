import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  journalKeyAtLogin,
  journalKeyState,
  lockJournalKey,
  newRecoveryCode,
  normaliseRecoveryCode,
  rewrapForNewPassword,
  unlockOldKeys,
} from './journal-keys.ts';
import { keyId, keyringFromKeys } from './reflection-crypto.ts';
import { createEntry } from './reflection-journal.ts';
import { describeEachDialect, freshStore } from './testing.ts';

// The key logic of decision 0035 at the store level; the routes and the browser path are tested in
// src/server/reflection/journal-keys.test.ts and test/e2e/journal-keys.test.ts.

describe('recovery codes', () => {
  it('read the same however they are typed', () => {
    expect(normaliseRecoveryCode('abcde-fghjk mnpqr_stvwx')).toBe('ABCDEFGHJKMNPQRSTVWX');
    expect(normaliseRecoveryCode('O0 I1 L1')).toBe('001111');
  });
});

describeEachDialect('journal keys', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let orgId: string;
  const instance = keyringFromKeys(randomBytes(32));
  const user = async (email: string) => {
    const { id } = await store.db
      .insertInto('users')
      .values({ org_id: orgId, email, display_name: email, roles: ['therapist'], gender: null, password_hash: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { orgId, userId: id, roles: ['therapist'] };
  };
  const keysOf = (userId: string) =>
    store.db.selectFrom('journal_keys').select(['id', 'status']).where('user_id', '=', userId).execute();

  beforeAll(async () => {
    store = await freshStore(dialect);
    ({ id: orgId } = await store.db
      .insertInto('organisations')
      .values({ slug: 'keys-store', name: 'Keys', settings: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow());
  });
  afterAll(() => store.drop());

  it('gives the same key at every login, and one key to concurrent first logins', async () => {
    const owner = await user('same@x.test');
    const keys = await Promise.all([1, 2, 3].map(() => journalKeyAtLogin(store.db, instance, owner, 'pw one')));
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
    expect((await journalKeyAtLogin(store.db, instance, owner, 'pw one')).equals(keys[0])).toBe(true);
    expect(await keysOf(owner.userId)).toEqual([{ id: keyId(keys[0]), status: 'current' }]);
  });

  it('moves rows under the instance key to the new key at the first login', async () => {
    const owner = await user('legacy@x.test');
    const id = await createEntry(store.db, instance, owner, {
      template: 'free',
      mode: null,
      title: 't',
      occurredOn: null,
      fields: {},
      tags: [],
    });
    const dk = await journalKeyAtLogin(store.db, instance, owner, 'pw');
    const row = await store.db
      .selectFrom('journal_entries')
      .select('key_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.key_id).toBe(keyId(dk));
  });

  it('rewraps on a password change, locks on a reset, and opens with the old password only', async () => {
    const owner = await user('reset@x.test');
    const dk = await journalKeyAtLogin(store.db, instance, owner, 'old pw');
    await store.db.transaction().execute((trx) => rewrapForNewPassword(trx, owner.userId, 'old pw', 'new pw'));
    expect((await journalKeyAtLogin(store.db, instance, owner, 'new pw')).equals(dk)).toBe(true);
    await store.db.transaction().execute((trx) => lockJournalKey(trx, owner.userId));
    const fresh = await journalKeyAtLogin(store.db, instance, owner, 'admin pw');
    expect(fresh.equals(dk)).toBe(false);
    expect(await keysOf(owner.userId)).toHaveLength(2);
    // A wrong secret opens nothing and changes nothing.
    expect(await unlockOldKeys(store.db, instance, owner, fresh, 'old pw')).toBe(0);
    expect(await keysOf(owner.userId)).toHaveLength(2);
    expect(await unlockOldKeys(store.db, instance, owner, fresh, 'new pw')).toBe(1);
    expect(await keysOf(owner.userId)).toEqual([{ id: keyId(fresh), status: 'current' }]);
  });

  it('a recovery code opens a locked key; a new code replaces the old one', async () => {
    const owner = await user('code@x.test');
    const dk = await journalKeyAtLogin(store.db, instance, owner, 'pw');
    const first = await newRecoveryCode(store.db, owner, dk);
    const second = await newRecoveryCode(store.db, owner, dk);
    expect(await journalKeyState(store.db, owner.userId)).toEqual({ hasRecoveryCode: true, lockedItems: 0 });
    await store.db.transaction().execute((trx) => lockJournalKey(trx, owner.userId));
    const fresh = await journalKeyAtLogin(store.db, instance, owner, 'admin pw');
    expect(await unlockOldKeys(store.db, instance, owner, fresh, first)).toBe(0);
    expect(await unlockOldKeys(store.db, instance, owner, fresh, second.toLowerCase())).toBe(1);
  });
});
