import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { SpiegelError } from '../../domain/errors.ts';
import { appendAudit } from '../audit.ts';
import { aadFor, seal, type Keyring } from '../reflection-crypto.ts';
import type { Database } from '../schema.ts';
import { auditActor } from './editing.ts';
import type { QualActor } from './projects.ts';

/**
 * Changing the codebook while coding goes on: rename or redefine a code, merge one code into another,
 * split segments off into a new code. Each change leaves a memo on the code it produced ("history"),
 * which travels with the project into REFI-QDA, and an audit row.
 */

export interface CodeFields {
  label: string;
  name: string;
  definition: string;
  inclusion: string;
  exclusion: string;
  example: string;
  colour: string;
}

type Trx = Transaction<Database>;

async function historyMemo(
  trx: Trx,
  keyring: Keyring,
  actor: QualActor,
  projectId: string,
  codeId: string,
  text: string,
) {
  const id = randomUUID();
  const sealed = seal(keyring, text, aadFor('qual_memos', id, actor.orgId, projectId));
  await trx
    .insertInto('qual_memos')
    .values({
      id,
      project_id: projectId,
      target_kind: 'code',
      target_id: codeId,
      author: actor.userId ?? 'system',
      key_id: sealed.keyId,
      ciphertext: sealed.ciphertext,
    })
    .execute();
}

async function codeOf(trx: Trx, projectId: string, label: string) {
  const code = await trx
    .selectFrom('qual_codes')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('label', '=', label)
    .forUpdate()
    .executeTakeFirst();
  if (!code) throw new SpiegelError('NOT_FOUND', 'No such code.');
  return code;
}

async function labelFree(trx: Trx, projectId: string, label: string, except: string | null) {
  const other = await trx
    .selectFrom('qual_codes')
    .select('id')
    .where('project_id', '=', projectId)
    .where('label', '=', label)
    .executeTakeFirst();
  if (other && other.id !== except) throw new SpiegelError('QUAL_CODE_LABEL_TAKEN');
}

/** Renames or redefines a code; `history` is the memo text describing the change. */
export async function updateCode(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: QualActor,
  projectId: string,
  label: string,
  fields: CodeFields,
  history: (before: CodeFields) => string | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const code = await codeOf(trx, projectId, label);
    await labelFree(trx, projectId, fields.label, code.id);
    await trx.updateTable('qual_codes').set(fields).where('id', '=', code.id).execute();
    const text = history(code);
    if (text) await historyMemo(trx, keyring, actor, projectId, code.id, text);
    await appendAudit(trx, {
      ...auditActor(actor),
      action: 'qual.code.update',
      subjectId: projectId,
      details: { code: code.id },
    });
  });
}

/** Moves every segment (all layers) and subcode of `from` to `into` and removes `from`. */
export async function mergeCode(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: QualActor,
  projectId: string,
  from: string,
  into: string,
  history: (moved: number) => string,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const source = await codeOf(trx, projectId, from);
    const target = await codeOf(trx, projectId, into);
    // Not into itself, nor into one of its own descendants (that would orphan the tree).
    for (let at: string | null = target.id; at;) {
      if (at === source.id) throw new SpiegelError('QUAL_CODE_MERGE_SELF');
      at = (await trx.selectFrom('qual_codes').select('parent_id').where('id', '=', at).executeTakeFirstOrThrow())
        .parent_id;
    }
    const moved = await trx
      .updateTable('qual_segments')
      .set({ code_id: target.id })
      .where('code_id', '=', source.id)
      .executeTakeFirst();
    await trx
      .updateTable('qual_consensus_rejections')
      .set({ code_id: target.id })
      .where('code_id', '=', source.id)
      .execute();
    await trx.updateTable('qual_codes').set({ parent_id: target.id }).where('parent_id', '=', source.id).execute();
    await trx
      .updateTable('qual_codes')
      .set({ equivalent_to: target.id })
      .where('equivalent_to', '=', source.id)
      .execute();
    await trx
      .updateTable('qual_memos')
      .set({ target_id: target.id })
      .where('target_kind', '=', 'code')
      .where('target_id', '=', source.id)
      .execute();
    await trx.deleteFrom('qual_codes').where('id', '=', source.id).execute();
    const n = Number(moved.numUpdatedRows);
    await historyMemo(trx, keyring, actor, projectId, target.id, history(n));
    await appendAudit(trx, {
      ...auditActor(actor),
      action: 'qual.code.merge',
      subjectId: projectId,
      details: { from: source.id, into: target.id, segments: n },
    });
    return n;
  });
}

/** Creates a new code next to `from` (same parent) and moves the chosen segments of `from` to it. */
export async function splitCode(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: QualActor,
  projectId: string,
  from: string,
  fields: CodeFields,
  segmentIds: string[],
  history: (moved: number) => string,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const source = await codeOf(trx, projectId, from);
    await labelFree(trx, projectId, fields.label, null);
    const id = randomUUID();
    await trx
      .insertInto('qual_codes')
      .values({
        id,
        project_id: projectId,
        parent_id: source.parent_id,
        equivalent_to: null,
        sort_order: source.sort_order,
        ...fields,
      })
      .execute();
    const moved = segmentIds.length
      ? await trx
          .updateTable('qual_segments')
          .set({ code_id: id })
          .where('code_id', '=', source.id)
          .where('id', 'in', segmentIds)
          .executeTakeFirst()
      : { numUpdatedRows: 0n };
    const n = Number(moved.numUpdatedRows);
    await historyMemo(trx, keyring, actor, projectId, id, history(n));
    await appendAudit(trx, {
      ...auditActor(actor),
      action: 'qual.code.split',
      subjectId: projectId,
      details: { from: source.id, into: id, segments: n },
    });
    return n;
  });
}
