import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { SpiegelError } from '../../domain/errors.ts';
import { CONSENSUS, type QualMemo } from '../../domain/qual/types.ts';
import { appendAudit } from '../audit.ts';
import { aadFor, seal, type Keyring } from '../reflection-crypto.ts';
import type { Database } from '../schema.ts';
import { auditActor } from './editing.ts';
import type { QualActor } from './projects.ts';

/**
 * Coding: segments on a layer (the coder's own, or the consensus layer), memos, and blinding. The
 * route decides which layer a caller may write; this module checks that the selection lies inside
 * the transcript and that document and code belong to the project.
 */

export interface SegmentInput {
  documentId: string;
  codeIds: string[];
  layer: string;
  start: number;
  end: number;
}

/**
 * The project's transcript that a selection lies in: NOT_FOUND for another project's, and
 * QUAL_SEGMENT_INVALID for a selection outside its text.
 */
export async function selectionIn(
  trx: Transaction<Database>,
  projectId: string,
  selection: { documentId: string; start: number; end: number },
): Promise<{ id: string }> {
  const doc = await trx
    .selectFrom('qual_documents')
    .select(['id', 'text_length'])
    .where('id', '=', selection.documentId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  if (!doc) throw new SpiegelError('NOT_FOUND', 'No such transcript.');
  const { start, end } = selection;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= doc.text_length))
    throw new SpiegelError('QUAL_SEGMENT_INVALID');
  return doc;
}

/** Applies one or more codes to one selection; returns the new segment ids. */
export async function addSegments(
  db: Kysely<Database>,
  actor: QualActor,
  projectId: string,
  input: SegmentInput,
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const doc = await selectionIn(trx, projectId, input);
    const { start, end } = input;
    const codes = await trx
      .selectFrom('qual_codes')
      .select('id')
      .where('project_id', '=', projectId)
      .where('id', 'in', input.codeIds)
      .execute();
    if (codes.length !== new Set(input.codeIds).size) throw new SpiegelError('NOT_FOUND', 'No such code.');
    const rows = codes.map((c) => ({
      id: randomUUID(),
      project_id: projectId,
      document_id: doc.id,
      code_id: c.id,
      layer: input.layer,
      start_pos: start,
      end_pos: end,
    }));
    await trx.insertInto('qual_segments').values(rows).execute();
    await appendAudit(trx, {
      ...auditActor(actor),
      action: input.layer === CONSENSUS ? 'qual.consensus.add' : 'qual.segment.add',
      subjectId: projectId,
      details: { document: doc.id, segments: rows.length },
    });
    return rows.map((r) => r.id);
  });
}

/** Removes a segment of the given layer (a coder removes only their own); false when there was none. */
export async function deleteSegment(
  db: Kysely<Database>,
  actor: QualActor,
  projectId: string,
  segmentId: string,
  layer: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('qual_segments')
      .where('id', '=', segmentId)
      .where('project_id', '=', projectId)
      .where('layer', '=', layer)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return false;
    await appendAudit(trx, {
      ...auditActor(actor),
      action: 'qual.segment.delete',
      subjectId: projectId,
      details: { segment: segmentId },
    });
    return true;
  });
}

export async function setBlinded(
  db: Kysely<Database>,
  actor: QualActor,
  projectId: string,
  blinded: boolean,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('qual_projects').set({ blinded }).where('id', '=', projectId).execute();
    await appendAudit(trx, {
      ...auditActor(actor),
      action: blinded ? 'qual.project.blind' : 'qual.project.unblind',
      subjectId: projectId,
    });
  });
}

/** A memo on the project, a code, a document or a segment; the text is sealed. */
export async function addMemo(
  db: Kysely<Database>,
  keyring: Keyring,
  actor: QualActor,
  projectId: string,
  memo: Omit<QualMemo, 'id'>,
): Promise<string> {
  const id = randomUUID();
  const sealed = seal(keyring, memo.text, aadFor('qual_memos', id, actor.orgId, projectId));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('qual_memos')
      .values({
        id,
        project_id: projectId,
        target_kind: memo.target.kind,
        target_id: memo.target.id,
        author: memo.authorId,
        key_id: sealed.keyId,
        ciphertext: sealed.ciphertext,
      })
      .execute();
    await appendAudit(trx, {
      ...auditActor(actor),
      action: 'qual.memo.add',
      subjectId: projectId,
      details: { target: memo.target.kind },
    });
  });
  return id;
}
