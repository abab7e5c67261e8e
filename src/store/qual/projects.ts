import type { Kysely } from 'kysely';
import { SpiegelError } from '../../domain/errors.ts';
import { guidFor } from '../../domain/qual/refi.ts';
import { CONSENSUS, type QualProject } from '../../domain/qual/types.ts';
import { appendAudit, audit } from '../audit.ts';
import { aadFor, open, seal, type Keyring } from '../reflection-crypto.ts';
import type { Database } from '../schema.ts';

/**
 * Storage of qualitative projects. Transcript texts and memos are sealed with the journal's keyring
 * (AES-256-GCM, bound to table, row, organisation and project), so the database never holds them in
 * the clear. Every read and write is audited.
 */

export interface QualActor {
  orgId: string;
  userId: string | null;
  role: string;
}

const docAad = (id: string, orgId: string, projectId: string) => aadFor('qual_documents', id, orgId, projectId);
const memoAad = (id: string, orgId: string, projectId: string) => aadFor('qual_memos', id, orgId, projectId);

/**
 * Saves a whole project (demo, import). `members` maps the project's coder ids to user ids with their
 * role; domain ids that are not UUIDs get stable UUIDs (the same as the REFI-QDA GUIDs).
 */
export async function saveProject(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: QualActor,
  project: QualProject,
  members: { userId: string; role: 'investigator' | 'coder' | 'auditor'; coderId?: string }[],
): Promise<string> {
  const id = guidFor('spiegel', 'project', project.id);
  const g = (kind: string, x: string) => guidFor(project.id, kind, x);
  const layer = (coderId: string) =>
    coderId === CONSENSUS ? CONSENSUS : (members.find((m) => m.coderId === coderId)?.userId ?? coderId);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('qual_projects')
      .values({ id, org_id: actor.orgId, name: project.name, study_id: null })
      .execute();
    if (members.length)
      await trx
        .insertInto('qual_members')
        .values(members.map((m) => ({ project_id: id, user_id: m.userId, role: m.role })))
        .execute();
    // Parents before children: insert in order of depth.
    const depth = (c: QualProject['codes'][number]): number =>
      c.parentId ? 1 + depth(project.codes.find((p) => p.id === c.parentId)!) : 0;
    const codes = [...project.codes].sort((a, b) => depth(a) - depth(b));
    for (const c of codes)
      await trx
        .insertInto('qual_codes')
        .values({
          id: g('code', c.id),
          project_id: id,
          label: c.label,
          name: c.name,
          parent_id: c.parentId ? g('code', c.parentId) : null,
          definition: c.definition,
          inclusion: c.inclusion,
          exclusion: c.exclusion,
          example: c.example,
          colour: c.colour,
          sort_order: c.order,
          equivalent_to: null,
        })
        .execute();
    for (const c of project.codes.filter((x) => x.equivalentTo))
      await trx
        .updateTable('qual_codes')
        .set({ equivalent_to: g('code', c.equivalentTo!) })
        .where('id', '=', g('code', c.id))
        .execute();
    if (project.documents.length)
      await trx
        .insertInto('qual_documents')
        .values(
          project.documents.map((d) => {
            const docId = g('document', d.id);
            const sealed = seal(keyring, d.text, docAad(docId, actor.orgId, id));
            return {
              id: docId,
              project_id: id,
              case_label: d.caseLabel,
              attributes: JSON.stringify(d.attributes),
              text_length: d.text.length,
              key_id: sealed.keyId,
              ciphertext: sealed.ciphertext,
            };
          }),
        )
        .execute();
    for (let i = 0; i < project.segments.length; i += 1000)
      await trx
        .insertInto('qual_segments')
        .values(
          project.segments.slice(i, i + 1000).map((s) => ({
            id: g('segment', s.id),
            project_id: id,
            document_id: g('document', s.documentId),
            code_id: g('code', s.codeId),
            layer: layer(s.coderId),
            start_pos: s.start,
            end_pos: s.end,
          })),
        )
        .execute();
    if (project.memos.length)
      await trx
        .insertInto('qual_memos')
        .values(
          project.memos.map((m) => {
            const memoId = g('memo', m.id);
            const sealed = seal(keyring, m.text, memoAad(memoId, actor.orgId, id));
            const targetId =
              m.target.kind === 'project' ? id : g(m.target.kind === 'code' ? 'code' : m.target.kind, m.target.id);
            return {
              id: memoId,
              project_id: id,
              target_kind: m.target.kind,
              target_id: targetId,
              author: layer(m.authorId),
              key_id: sealed.keyId,
              ciphertext: sealed.ciphertext,
            };
          }),
        )
        .execute();
    await appendAudit(trx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'qual.project.create',
      subjectType: 'qual_project',
      subjectId: id,
      outcome: 'ok',
      details: { documents: project.documents.length, segments: project.segments.length },
    });
  });
  return id;
}

export async function listProjects(db: Kysely<Database>, orgId: string | null) {
  let q = db
    .selectFrom('qual_projects as p')
    .innerJoin('organisations as o', 'o.id', 'p.org_id')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.org_id as orgId',
      'o.slug as org',
      'p.blinded',
      'p.study_id as studyId',
      eb
        .selectFrom('qual_documents as d')
        .whereRef('d.project_id', '=', 'p.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('documents'),
      eb
        .selectFrom('qual_segments as s')
        .whereRef('s.project_id', '=', 'p.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('segments'),
    ])
    .orderBy('p.created_at');
  if (orgId) q = q.where('p.org_id', '=', orgId);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, documents: Number(r.documents), segments: Number(r.segments) }));
}

/** Loads and decrypts a whole project; coders are named by their display names. */
export async function loadProject(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: QualActor,
  projectId: string,
): Promise<QualProject & { orgId: string }> {
  const project = await db
    .selectFrom('qual_projects')
    .selectAll()
    .where('id', '=', projectId)
    .$if(actor.orgId !== '*', (q) => q.where('org_id', '=', actor.orgId))
    .executeTakeFirst();
  if (!project) throw new SpiegelError('NOT_FOUND', 'No such project.');
  const orgId = project.org_id;
  const [members, codes, documents, segments, memos] = await Promise.all([
    db
      .selectFrom('qual_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'm.role', 'u.display_name'])
      .where('m.project_id', '=', projectId)
      .execute(),
    db.selectFrom('qual_codes').selectAll().where('project_id', '=', projectId).execute(),
    db.selectFrom('qual_documents').selectAll().where('project_id', '=', projectId).orderBy('case_label').execute(),
    db.selectFrom('qual_segments').selectAll().where('project_id', '=', projectId).orderBy('start_pos').execute(),
    db.selectFrom('qual_memos').selectAll().where('project_id', '=', projectId).orderBy('created_at').execute(),
  ]);
  await audit(db, {
    orgId,
    actorId: actor.userId,
    actorRole: actor.role,
    action: 'qual.project.read',
    subjectType: 'qual_project',
    subjectId: projectId,
    outcome: 'ok',
  });
  return {
    id: projectId,
    orgId,
    name: project.name,
    coders: members.filter((m) => m.role === 'coder').map((m) => ({ id: m.user_id, name: m.display_name })),
    codes: codes.map((c) => ({
      id: c.id,
      label: c.label,
      name: c.name,
      parentId: c.parent_id,
      definition: c.definition,
      inclusion: c.inclusion,
      exclusion: c.exclusion,
      example: c.example,
      colour: c.colour,
      order: c.sort_order,
      equivalentTo: c.equivalent_to,
    })),
    documents: documents.map((d) => ({
      id: d.id,
      caseLabel: d.case_label,
      attributes: d.attributes,
      text: open<string>(keyring, { keyId: d.key_id, ciphertext: d.ciphertext }, docAad(d.id, orgId, projectId)),
    })),
    segments: segments.map((s) => ({
      id: s.id,
      documentId: s.document_id,
      codeId: s.code_id,
      coderId: s.layer,
      start: s.start_pos,
      end: s.end_pos,
    })),
    memos: memos.map((m) => ({
      id: m.id,
      target: { kind: m.target_kind, id: m.target_id },
      authorId: m.author,
      text: open<string>(keyring, { keyId: m.key_id, ciphertext: m.ciphertext }, memoAad(m.id, orgId, projectId)),
    })),
  };
}
