import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SpiegelError } from '../../domain/errors.ts';
import { appendAudit } from '../audit.ts';
import type { Database } from '../schema.ts';
import { selectionIn } from './coding.ts';
import { auditActor } from './editing.ts';
import type { QualActor } from './projects.ts';

/** A code the consensus meeting rejected for a passage of one transcript. */
export interface ConsensusRejection {
  codeId: string;
  start: number;
  end: number;
}

/**
 * Records that the consensus meeting rejected a code for a passage (the memo with the reasons is the
 * caller's). Recording the same decision twice changes nothing.
 */
export async function rejectForConsensus(
  db: Kysely<Database>,
  actor: QualActor,
  projectId: string,
  input: ConsensusRejection & { documentId: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const doc = await selectionIn(trx, projectId, input);
    const { start, end } = input;
    const code = await trx
      .selectFrom('qual_codes')
      .select('id')
      .where('project_id', '=', projectId)
      .where('id', '=', input.codeId)
      .executeTakeFirst();
    if (!code) throw new SpiegelError('NOT_FOUND', 'No such code.');
    const known = await trx
      .selectFrom('qual_consensus_rejections')
      .select('id')
      .where('document_id', '=', doc.id)
      .where('code_id', '=', code.id)
      .where('start_pos', '=', start)
      .where('end_pos', '=', end)
      .executeTakeFirst();
    if (known) return;
    await trx
      .insertInto('qual_consensus_rejections')
      .values({
        id: randomUUID(),
        project_id: projectId,
        document_id: doc.id,
        code_id: code.id,
        start_pos: start,
        end_pos: end,
        decided_by: actor.userId,
      })
      .execute();
    await appendAudit(trx, {
      ...auditActor(actor),
      action: 'qual.consensus.reject',
      subjectId: projectId,
      details: { document: doc.id, code: code.id },
    });
  });
}

/** The rejections recorded for one transcript. */
export async function consensusRejections(
  db: Kysely<Database>,
  projectId: string,
  documentId: string,
): Promise<ConsensusRejection[]> {
  const rows = await db
    .selectFrom('qual_consensus_rejections')
    .select(['code_id', 'start_pos', 'end_pos'])
    .where('project_id', '=', projectId)
    .where('document_id', '=', documentId)
    .execute();
  return rows.map((r) => ({ codeId: r.code_id, start: r.start_pos, end: r.end_pos }));
}
