import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agreement } from '../../domain/qual/agreement.ts';
import { demoProject, intendedCounts } from '../../domain/qual/demo.ts';
import { codeDocumentTable } from '../../domain/qual/tables.ts';
import { CONSENSUS } from '../../domain/qual/types.ts';
import { DecryptionError, keyringFromKeys, open } from '../reflection-crypto.ts';
import { describeEachDialect, freshStore } from '../testing.ts';
import { listProjects, loadProject, saveProject, type QualActor } from './projects.ts';

describeEachDialect('qualitative projects', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let actor: QualActor;
  const users: string[] = [];
  const keyring = keyringFromKeys(randomBytes(32));

  beforeAll(async () => {
    store = await freshStore(dialect);
    const { id: orgId } = await store.db
      .insertInto('organisations')
      .values({ slug: 'qual', name: 'Qual', settings: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const name of ['Onderzoeker', 'Codeur A', 'Codeur B']) {
      const { id } = await store.db
        .insertInto('users')
        .values({
          org_id: orgId,
          email: `${name.replace(' ', '')}@x.test`,
          display_name: name,
          roles: ['researcher'],
          gender: null,
          password_hash: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      users.push(id);
    }
    actor = { orgId, userId: users[0]!, role: 'researcher' };
  });
  afterAll(() => store.drop());

  it('stores transcripts only as ciphertext and loads the project back intact', async () => {
    const demo = demoProject();
    const id = await saveProject(store.db, keyring, actor, demo, [
      { userId: users[0]!, role: 'investigator' },
      { userId: users[1]!, role: 'coder', coderId: 'coder-a' },
      { userId: users[2]!, role: 'coder', coderId: 'coder-b' },
    ]);
    const row = await store.db
      .selectFrom('qual_documents')
      .selectAll()
      .where('project_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.ciphertext).not.toContain('therapie');
    expect(() =>
      open(keyring, { keyId: row.key_id, ciphertext: row.ciphertext }, 'spiegel/qual_documents/another-row'),
    ).toThrow(DecryptionError);

    const back = await loadProject(store.db, keyring, actor, id);
    expect(back.coders.map((c) => c.name).sort()).toEqual(['Codeur A', 'Codeur B']);
    expect(back.documents.map((d) => d.text)).toEqual(demo.documents.map((d) => d.text));
    const themes = back.codes.filter((c) => c.parentId !== null);
    const table = codeDocumentTable(
      themes,
      back.documents,
      back.segments.filter((s) => s.coderId === CONSENSUS),
    );
    expect(table.map((r) => r.perDocument)).toEqual(intendedCounts().map((i) => i.perCase));
    expect(back.codes.find((c) => c.label === '2A')!.equivalentTo).toBe(back.codes.find((c) => c.label === '1A')!.id);

    const r = agreement({
      codes: themes,
      documents: back.documents.map((d) => ({ id: d.id, length: d.text.length })),
      segments: back.segments.filter((s) => s.coderId !== CONSENSUS),
      coders: back.coders.map((c) => c.id),
      unit: { kind: 'presence' },
    });
    expect(r.pooled.kappa).not.toBeNull();

    const list = await listProjects(store.db, actor.orgId);
    expect(list).toMatchObject([{ id, documents: 15 }]);
    const trail = await store.db.selectFrom('audit_log').select('action').where('subject_id', '=', id).execute();
    expect(trail.map((t) => t.action).sort()).toEqual(['qual.project.create', 'qual.project.read']);
  });

  it('answers NOT_FOUND for another organisation’s project', async () => {
    const [p] = await listProjects(store.db, actor.orgId);
    const other = { ...actor, orgId: '00000000-0000-4000-8000-000000000000' };
    await expect(loadProject(store.db, keyring, other, p!.id)).rejects.toThrow(/No such project/);
  });
});
