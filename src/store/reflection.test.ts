import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseEntry } from '../domain/reflection/journal.ts';
import { completeCheck, previousCompleted, readCheck, saveAnswers, startCheck } from './reflection-checks.ts';
import type { Actor } from './reflection-common.ts';
import { DecryptionError, keyId, keyringFromEnv, keyringFromKeys, open, type Keyring } from './reflection-crypto.ts';
import { createEntry, readEntry, searchEntries } from './reflection-journal.ts';
import { rotateReflectionKeys } from './reflection-rotate.ts';
import { addComment, createShare, revokeShare } from './reflection-shares.ts';
import { readShared, sharedWithMe } from './reflection-shared-view.ts';
import { describeEachDialect, freshStore } from './testing.ts';

const SECRET = 'Mijn cliënt Jansen noemde mij haar redder';

describeEachDialect('reflection store', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let owner: Actor;
  let supervisor: Actor;
  let stranger: Actor;
  const key1 = randomBytes(32);
  const key2 = randomBytes(32);
  const keyring1 = keyringFromKeys(key1);

  beforeAll(async () => {
    store = await freshStore(dialect);
    const { id: orgId } = await store.db
      .insertInto('organisations')
      .values({ slug: 'refl', name: 'Refl', settings: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = async (email: string, roles: Array<'therapist' | 'supervisor'>) =>
      (
        await store.db
          .insertInto('users')
          .values({ org_id: orgId, email, display_name: email, roles, gender: 'female', password_hash: null })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    owner = { orgId, userId: await user('t1@x.test', ['therapist']), roles: ['therapist'] };
    supervisor = { orgId, userId: await user('s1@x.test', ['supervisor']), roles: ['supervisor'] };
    stranger = { orgId, userId: await user('s2@x.test', ['supervisor']), roles: ['supervisor'] };
  });
  afterAll(() => store.drop());

  it('stores journal entries only as ciphertext: no plaintext in the row, and a wrong key fails', async () => {
    const id = await createEntry(
      store.db,
      keyring1,
      owner,
      parseEntry({ template: 'free', title: 'Waardering', field_text: SECRET, tags: 'waardering' }),
    );
    const raw = await store.db.selectFrom('journal_entries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const rowText = JSON.stringify(raw);
    for (const fragment of ['Jansen', 'redder', 'Waardering', 'waardering', 'free'])
      expect(rowText).not.toContain(fragment);
    expect(raw.key_id).toBe(keyId(key1));
    expect(raw.ciphertext).toMatch(/^v1\./);

    const aad = `spiegel/journal_entries/${id}/${owner.orgId}/${owner.userId}`;
    const wrongKey: Keyring = {
      current: { id: raw.key_id, key: randomBytes(32) },
      keys: new Map([[raw.key_id, randomBytes(32)]]),
      development: false,
    };
    expect(() => open(wrongKey, { keyId: raw.key_id, ciphertext: raw.ciphertext }, aad)).toThrow(DecryptionError);
    expect(() => open(keyringFromKeys(key2), { keyId: raw.key_id, ciphertext: raw.ciphertext }, aad)).toThrow(
      /not configured/,
    );
    // Bound to its row and owner: the same ciphertext under another id or owner does not decrypt.
    expect(() =>
      open(keyring1, { keyId: raw.key_id, ciphertext: raw.ciphertext }, aad.replace(owner.userId, supervisor.userId)),
    ).toThrow(DecryptionError);
    expect(
      (open(keyring1, { keyId: raw.key_id, ciphertext: raw.ciphertext }, aad) as { fields: { text: string } }).fields
        .text,
    ).toBe(SECRET);

    const read = await readEntry(store.db, keyring1, owner, id);
    expect(read.content.fields.text).toBe(SECRET);
    await expect(readEntry(store.db, keyring1, supervisor, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('searches encrypted entries in memory and audits without the query', async () => {
    await createEntry(
      store.db,
      keyring1,
      owner,
      parseEntry({ template: 'tears', title: 'Tranen', field_felt: 'Ontroerd door het afscheid', tags: 'tranen' }),
    );
    expect((await searchEntries(store.db, keyring1, owner, 'afscheid')).map((e) => e.content.title)).toEqual([
      'Tranen',
    ]);
    expect((await searchEntries(store.db, keyring1, owner, '', 'waardering')).map((e) => e.content.title)).toEqual([
      'Waardering',
    ]);
    expect(await searchEntries(store.db, keyring1, supervisor, 'afscheid')).toEqual([]);
    const trail = await store.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'reflection.journal.search')
      .execute();
    expect(trail.length).toBeGreaterThan(0);
    expect(JSON.stringify(trail)).not.toContain('afscheid');
  });

  it('keeps self-checks private, completes them and finds the previous one', async () => {
    const id = await startCheck(store.db, keyring1, owner);
    expect(await startCheck(store.db, keyring1, owner)).toBe(id); // one draft at a time
    await saveAnswers(store.db, keyring1, owner, id, { 'crying-proneness': 7, 'selfview.doubt': SECRET }, 'emotions');
    await completeCheck(store.db, keyring1, owner, id, {
      answers: { 'crying-proneness': 7, 'selfview.doubt': SECRET },
      scores: { tears: { cryingProneness: 7, clientCryingAttitude: null }, brs: null },
    });
    const raw = await store.db.selectFrom('self_checks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(raw)).not.toContain('Jansen');
    const record = await readCheck(store.db, keyring1, owner, id);
    expect(record.status).toBe('completed');
    await expect(saveAnswers(store.db, keyring1, owner, id, {}, 'emotions')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(readCheck(store.db, keyring1, stranger, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await previousCompleted(store.db, keyring1, owner, new Date(Date.now() + 1000)))?.id).toBe(id);
    const denied = await store.db
      .selectFrom('audit_log')
      .select('outcome')
      .where('action', '=', 'reflection.self_check.read')
      .where('actor_id', '=', stranger.userId)
      .execute();
    expect(denied).toEqual([{ outcome: 'denied' }]);
  });

  it('shares one item with one supervisor, revocably', async () => {
    const [entry] = await searchEntries(store.db, keyring1, owner, '', 'waardering');
    const shareId = await createShare(
      store.db,
      { owner: keyring1, instance: keyring1 },
      owner,
      'journal_entry',
      entry.id,
      supervisor.userId,
    );
    expect(
      (await sharedWithMe(store.db, keyring1, supervisor)).map(
        (s) => s.item.type === 'journal_entry' && s.item.content.title,
      ),
    ).toEqual(['Waardering']);
    expect(await sharedWithMe(store.db, keyring1, stranger)).toEqual([]);
    await expect(readShared(store.db, keyring1, stranger, shareId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await addComment(store.db, keyring1, supervisor, shareId, 'Mooi opgemerkt; wat deed het met je?', 'supervisor');
    await expect(addComment(store.db, keyring1, stranger, shareId, 'x', 'supervisor')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(addComment(store.db, keyring1, supervisor, shareId, 'x', 'owner')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await readShared(store.db, keyring1, supervisor, shareId)).comments.map((c) => c.text)).toEqual([
      'Mooi opgemerkt; wat deed het met je?',
    ]);
    await expect(
      createShare(
        store.db,
        { owner: keyring1, instance: keyring1 },
        supervisor,
        'journal_entry',
        entry.id,
        stranger.userId,
      ),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const draft = await startCheck(store.db, keyring1, owner);
    await expect(
      createShare(store.db, { owner: keyring1, instance: keyring1 }, owner, 'self_check', draft, supervisor.userId),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    }); // drafts are never shared
    await revokeShare(store.db, owner, shareId);
    await expect(readShared(store.db, keyring1, supervisor, shareId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const actions = (
      await store.db.selectFrom('audit_log').select('action').where('subject_id', '=', shareId).execute()
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['reflection.share.create', 'reflection.shared.read', 'reflection.share.revoke']),
    );
  });

  it('rotates every ciphertext to the new key', async () => {
    const keyring2 = keyringFromKeys(key2, [key1]);
    const report = await rotateReflectionKeys(store.db, keyring2);
    expect(report.remaining).toBe(0);
    expect(report.rewritten.journal_entries).toBe(2);
    expect(report.rewritten.reflection_comments).toBe(1);
    expect(report.rewritten.reflection_shares).toBe(1); // the supervisor's copy of the shared entry
    // A row under a therapist's own journal key (decision 0035) is not the instance's to rotate.
    const ownKey = randomBytes(32);
    const own = keyringFromKeys(ownKey);
    const ownId = await createEntry(store.db, own, owner, {
      template: 'free',
      mode: null,
      title: 'Eigen sleutel',
      occurredOn: null,
      fields: { text: 'x' },
      tags: [],
    });
    expect((await rotateReflectionKeys(store.db, keyringFromKeys(key1, [key2]))).remaining).toBe(0);
    const ownRow = await store.db
      .selectFrom('journal_entries')
      .select('key_id')
      .where('id', '=', ownId)
      .executeTakeFirstOrThrow();
    expect(ownRow.key_id).toBe(keyId(ownKey));
    await store.db.deleteFrom('journal_entries').where('id', '=', ownId).execute();
    await rotateReflectionKeys(store.db, keyring2);
    const only2 = keyringFromKeys(key2);
    expect((await searchEntries(store.db, only2, owner, 'afscheid')).length).toBe(1);
    const keys = await store.db.selectFrom('journal_entries').select('key_id').distinct().execute();
    expect(keys).toEqual([{ key_id: keyId(key2) }]);
  });
});

it('reads the journal key from the environment, with a logged development key only in demo mode', () => {
  const key = randomBytes(32).toString('base64');
  const old = randomBytes(32).toString('base64');
  const fromEnv = keyringFromEnv({ SPIEGEL_JOURNAL_KEY: key, SPIEGEL_JOURNAL_KEYS_OLD: ` ${old} ` }, false);
  expect(fromEnv.warning).toBeNull();
  expect(fromEnv.keyring.keys.size).toBe(2);
  const dev = keyringFromEnv({}, true);
  expect(dev.keyring.development).toBe(true);
  expect(dev.warning).toContain('development key');
  expect(() => keyringFromEnv({}, false)).toThrow(/SPIEGEL_JOURNAL_KEY must be set/);
  expect(() => keyringFromEnv({ SPIEGEL_JOURNAL_KEY: 'dG9vIHNob3J0' }, true)).toThrow(/32 random bytes/);
});
