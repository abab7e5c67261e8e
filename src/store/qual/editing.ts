import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SpiegelError } from '../../domain/errors.ts';
import type { QualCode } from '../../domain/qual/types.ts';
import { appendAudit } from '../audit.ts';
import { aadFor, seal, type Keyring } from '../reflection-crypto.ts';
import type { Database } from '../schema.ts';
import type { QualActor } from './projects.ts';

/**
 * Building a qualitative project in the browser: the project and its members, transcripts and the
 * codebook. Every change is audited; transcript texts are sealed as in `saveProject`.
 */

export type QualRole = 'investigator' | 'coder' | 'auditor';

export interface ProjectAccess {
  id: string;
  name: string;
  language: 'nl' | 'en';
  blinded: boolean;
  role: QualRole;
}

/** The caller's role in a project of their organisation, or NOT_FOUND (existence is not revealed). */
export async function projectAccess(
  db: Kysely<Database>,
  orgId: string,
  projectId: string,
  userId: string,
): Promise<ProjectAccess> {
  const row = await db
    .selectFrom('qual_projects as p')
    .innerJoin('qual_members as m', 'm.project_id', 'p.id')
    .select(['p.id', 'p.name', 'p.language', 'p.blinded', 'm.role'])
    .where('p.id', '=', projectId)
    .where('p.org_id', '=', orgId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw new SpiegelError('NOT_FOUND', 'No such project.');
  return row;
}

/** The projects the user is a member of, with their role and counts. */
export async function listMyProjects(db: Kysely<Database>, orgId: string, userId: string) {
  const rows = await db
    .selectFrom('qual_projects as p')
    .innerJoin('qual_members as m', 'm.project_id', 'p.id')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.language',
      'p.blinded',
      'm.role',
      eb
        .selectFrom('qual_documents as d')
        .whereRef('d.project_id', '=', 'p.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('documents'),
    ])
    .where('p.org_id', '=', orgId)
    .where('m.user_id', '=', userId)
    .orderBy('p.created_at')
    .execute();
  return rows.map((r) => ({ ...r, documents: Number(r.documents) }));
}

export async function createProject(
  db: Kysely<Database>,
  actor: QualActor & { userId: string },
  input: { name: string; language: 'nl' | 'en' },
): Promise<string> {
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('qual_projects')
      .values({ id, org_id: actor.orgId, name: input.name, study_id: null, language: input.language })
      .execute();
    await trx
      .insertInto('qual_members')
      .values({ project_id: id, user_id: actor.userId, role: 'investigator' })
      .execute();
    await appendAudit(trx, { ...auditActor(actor), action: 'qual.project.create', subjectId: id });
  });
  return id;
}

/** Adds a colleague of the same organisation to the project, or changes their role. */
export async function setMember(
  db: Kysely<Database>,
  actor: QualActor,
  projectId: string,
  userId: string,
  role: QualRole,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select('id')
      .where('id', '=', userId)
      .where('org_id', '=', actor.orgId)
      .executeTakeFirst();
    if (!user) throw new SpiegelError('NOT_FOUND', 'No such colleague.');
    await trx
      .insertInto('qual_members')
      .values({ project_id: projectId, user_id: userId, role })
      .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ role }))
      .execute();
    await appendAudit(trx, {
      ...auditActor(actor),
      action: 'qual.member.set',
      subjectId: projectId,
      details: { userId, role },
    });
  });
}

/**
 * Adds a transcript as a new case, or replaces the text of a case nobody has coded yet. Once a case
 * has segments its text is fixed, since the offsets point into it.
 */
export async function putDocument(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: QualActor,
  projectId: string,
  input: { caseLabel: string; text: string; attributes: Record<string, string> },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('qual_documents')
      .select(['id', 'version'])
      .where('project_id', '=', projectId)
      .where('case_label', '=', input.caseLabel)
      .forUpdate()
      .executeTakeFirst();
    const id = existing?.id ?? randomUUID();
    const sealed = seal(keyring, input.text, aadFor('qual_documents', id, actor.orgId, projectId));
    const values = {
      attributes: JSON.stringify(input.attributes),
      text_length: input.text.length,
      key_id: sealed.keyId,
      ciphertext: sealed.ciphertext,
    };
    if (existing) {
      const coded = await trx
        .selectFrom('qual_segments')
        .select('id')
        .where('document_id', '=', id)
        .limit(1)
        .executeTakeFirst();
      if (coded) throw new SpiegelError('QUAL_CASE_IN_USE');
      await trx
        .updateTable('qual_documents')
        .set({ ...values, version: existing.version + 1 })
        .where('id', '=', id)
        .execute();
    } else {
      await trx
        .insertInto('qual_documents')
        .values({ id, project_id: projectId, case_label: input.caseLabel, ...values })
        .onConflict((oc) => oc.columns(['project_id', 'case_label']).doNothing())
        .execute();
    }
    await appendAudit(trx, {
      ...auditActor(actor),
      action: existing ? 'qual.document.replace' : 'qual.document.create',
      subjectId: projectId,
      details: { document: id, length: input.text.length },
    });
    return id;
  });
}

/**
 * Merges imported codes into the codebook by label: new labels are added, existing ones updated.
 * Parents and "equivalent to" are given by label and resolved after all codes exist.
 */
export async function mergeCodes(
  db: Kysely<Database>,
  actor: QualActor,
  projectId: string,
  codes: (Omit<QualCode, 'id' | 'parentId' | 'equivalentTo'> & { parent?: string; equivalent?: string })[],
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('qual_codes')
      .select(['id', 'label'])
      .where('project_id', '=', projectId)
      .execute();
    const ids = new Map(existing.map((c) => [c.label, c.id]));
    for (const c of codes) {
      const fields = {
        name: c.name,
        definition: c.definition,
        inclusion: c.inclusion,
        exclusion: c.exclusion,
        example: c.example,
        colour: c.colour,
        sort_order: c.order,
      };
      const id = ids.get(c.label);
      if (id) await trx.updateTable('qual_codes').set(fields).where('id', '=', id).execute();
      else {
        const newId = randomUUID();
        await trx
          .insertInto('qual_codes')
          .values({ id: newId, project_id: projectId, label: c.label, parent_id: null, equivalent_to: null, ...fields })
          .execute();
        ids.set(c.label, newId);
      }
    }
    for (const c of codes) {
      const parent = c.parent ? ids.get(c.parent) : undefined;
      const equivalent = c.equivalent ? ids.get(c.equivalent) : undefined;
      if ((c.parent && !parent) || (c.equivalent && !equivalent))
        throw new SpiegelError('QUAL_IMPORT_INVALID', `Code ${c.label} refers to an unknown code.`);
      await trx
        .updateTable('qual_codes')
        .set({ parent_id: parent ?? null, equivalent_to: equivalent ?? null })
        .where('id', '=', ids.get(c.label)!)
        .execute();
    }
    await appendAudit(trx, {
      ...auditActor(actor),
      action: 'qual.codebook.import',
      subjectId: projectId,
      details: { codes: codes.length },
    });
    return codes.length;
  });
}

export function auditActor(actor: QualActor) {
  return {
    orgId: actor.orgId,
    actorId: actor.userId,
    actorRole: actor.role,
    subjectType: 'qual_project',
    outcome: 'ok' as const,
  };
}
