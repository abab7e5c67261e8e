import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SpiegelError } from '../../domain/errors.ts';
import { appendAudit } from '../audit.ts';
import { newToken, tokenHash } from '../invitations.ts';
import { aadFor, open, seal, type Keyring } from '../reflection-crypto.ts';
import type { Database } from '../schema.ts';
import { auditActor } from './editing.ts';
import type { QualActor } from './projects.ts';

/**
 * Member checks: the investigator sends a participant a time-limited link to their own transcript,
 * its consensus coding and the theme summary. The link is stored only as a hash and works once; the
 * answers are sealed and also kept as memos on the document, so they travel with the project.
 */

export interface MemberCheckAnswers {
  /** Per code id: does the participant recognise the theme in their interview? */
  themes: Record<string, { agree: boolean; comment: string }>;
  /** Segment ids of quotes the participant allows to be quoted (de-identified). */
  quoteConsent: string[];
  comment: string;
}

export async function createMemberCheck(
  db: Kysely<Database>,
  actor: QualActor,
  projectId: string,
  documentId: string,
  days: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  await db.transaction().execute(async (trx) => {
    const doc = await trx
      .selectFrom('qual_documents')
      .select('id')
      .where('id', '=', documentId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (!doc) throw new SpiegelError('NOT_FOUND', 'No such transcript.');
    await trx
      .insertInto('qual_member_checks')
      .values({
        id: randomUUID(),
        project_id: projectId,
        document_id: documentId,
        token_hash: tokenHash(token),
        expires_at: expiresAt,
        answered_at: null,
        key_id: null,
        ciphertext: null,
      })
      .execute();
    await appendAudit(trx, {
      ...auditActor(actor),
      action: 'qual.member_check.create',
      subjectId: projectId,
      details: { document: documentId },
    });
  });
  return { token, expiresAt };
}

export interface OpenMemberCheck {
  id: string;
  projectId: string;
  documentId: string;
  orgId: string;
}

/** The open (unexpired, unanswered) check behind a link, or MEMBER_CHECK_EXPIRED. */
export async function memberCheckByToken(db: Kysely<Database>, token: string): Promise<OpenMemberCheck> {
  const row = await db
    .selectFrom('qual_member_checks as c')
    .innerJoin('qual_projects as p', 'p.id', 'c.project_id')
    .select(['c.id', 'c.project_id', 'c.document_id', 'c.expires_at', 'c.answered_at', 'p.org_id'])
    .where('c.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row) throw new SpiegelError('NOT_FOUND', 'No such link.');
  if (row.answered_at || new Date(row.expires_at).getTime() < Date.now())
    throw new SpiegelError('MEMBER_CHECK_EXPIRED');
  return { id: row.id, projectId: row.project_id, documentId: row.document_id, orgId: row.org_id };
}

/** Stores the participant's answers once (a second answer finds the link used). */
export async function answerMemberCheck(
  db: Kysely<Database>,
  keyring: Keyring,
  check: OpenMemberCheck,
  answers: MemberCheckAnswers,
  memoText: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const sealed = seal(keyring, answers, aadFor('qual_member_checks', check.id, check.orgId, check.projectId));
    const updated = await trx
      .updateTable('qual_member_checks')
      .set({ answered_at: new Date(), key_id: sealed.keyId, ciphertext: sealed.ciphertext })
      .where('id', '=', check.id)
      .where('answered_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new SpiegelError('MEMBER_CHECK_EXPIRED');
    const memoId = randomUUID();
    const memo = seal(keyring, memoText, aadFor('qual_memos', memoId, check.orgId, check.projectId));
    await trx
      .insertInto('qual_memos')
      .values({
        id: memoId,
        project_id: check.projectId,
        target_kind: 'document',
        target_id: check.documentId,
        author: 'member-check',
        key_id: memo.keyId,
        ciphertext: memo.ciphertext,
      })
      .execute();
    await appendAudit(trx, {
      orgId: check.orgId,
      actorId: null,
      actorRole: 'participant',
      action: 'qual.member_check.answer',
      subjectType: 'qual_project',
      subjectId: check.projectId,
      outcome: 'ok',
      details: { document: check.documentId },
    });
  });
}

/** The answers of a project's member checks, per document (for the investigator). */
export async function memberCheckAnswers(db: Kysely<Database>, keyring: Keyring, orgId: string, projectId: string) {
  const rows = await db
    .selectFrom('qual_member_checks')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    documentId: r.document_id,
    expiresAt: r.expires_at,
    answeredAt: r.answered_at,
    answers:
      r.key_id && r.ciphertext
        ? open<MemberCheckAnswers>(
            keyring,
            { keyId: r.key_id, ciphertext: r.ciphertext },
            aadFor('qual_member_checks', r.id, orgId, projectId),
          )
        : null,
  }));
}
