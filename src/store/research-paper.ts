import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { SpiegelError } from '../domain/errors.ts';
import type { QuestionnaireResponse } from '../domain/instruments/fhir.ts';
import { appendAudit } from './audit.ts';
import { sha256, type Study } from './research.ts';
import type { Database } from './schema.ts';

/**
 * Paper questionnaires typed in by the research team: a single entry is stored as a response at once;
 * with double entry the second entry is compared with the first, and the response is stored when they
 * agree or when the researcher has resolved every difference. A paper is stored once (409 after).
 */

type Db = Kysely<Database>;
export type EntryKind = 'single' | 1 | 2;

export interface PaperStatus {
  paperId: string;
  entries: number[];
  stored: boolean;
  discrepancies: number | null;
}

async function storeResponse(
  trx: Transaction<Database>,
  study: Study,
  paperId: string,
  response: QuestionnaireResponse,
  double: boolean,
  discrepancies: number,
): Promise<void> {
  const id = randomUUID();
  await trx
    .insertInto('research_responses')
    .values({
      id,
      org_id: study.orgId,
      study_id: study.id,
      survey_version: study.surveyVersion,
      consent_version: study.consent.version,
      consent_text_sha256: sha256(study.consent.consentText),
      channel: 'paper',
      submitted_on: new Date().toISOString().slice(0, 10),
      duration_ms: null,
      response: JSON.stringify(response),
      // Paper respondents withdraw through the researcher (the paper id), not with a code.
      withdrawal_hash: sha256(randomBytes(16).toString('hex')),
    })
    .execute();
  await trx
    .insertInto('research_paper_results')
    .values({ study_id: study.id, paper_id: paperId, response_id: id, double_entry: double, discrepancies })
    .execute();
}

async function done(trx: Transaction<Database>, studyId: string, paperId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('research_paper_results')
    .select('paper_id')
    .where('study_id', '=', studyId)
    .where('paper_id', '=', paperId)
    .forUpdate()
    .executeTakeFirst();
  return !!row;
}

/**
 * Stores one entry. Returns the other entry when this one completes a double entry and they differ
 * (the caller compares), or null when the response was stored or the other entry is still to come.
 */
export async function enterPaper(
  db: Db,
  study: Study,
  actorId: string,
  input: { paperId: string; entry: EntryKind; response: QuestionnaireResponse },
  differences: (first: QuestionnaireResponse, second: QuestionnaireResponse) => number,
): Promise<'stored' | 'waiting' | 'discrepant'> {
  return db.transaction().execute(async (trx) => {
    if (await done(trx, study.id, input.paperId)) throw new SpiegelError('PAPER_DONE');
    const audit = (outcome: string) =>
      appendAudit(trx, {
        orgId: study.orgId,
        actorId,
        actorRole: 'researcher',
        action: 'research.paper.enter',
        subjectType: 'research_study',
        subjectId: study.id,
        outcome: 'ok',
        details: { entry: input.entry, result: outcome },
      });
    if (input.entry === 'single') {
      await storeResponse(trx, study, input.paperId, input.response, false, 0);
      await audit('stored');
      return 'stored';
    }
    const inserted = await trx
      .insertInto('research_paper_entries')
      .values({
        study_id: study.id,
        paper_id: input.paperId,
        entry: input.entry,
        response: JSON.stringify(input.response),
        entered_by: actorId,
      })
      .onConflict((oc) => oc.columns(['study_id', 'paper_id', 'entry']).doNothing())
      .returning('entry')
      .executeTakeFirst();
    if (!inserted) throw new SpiegelError('PAPER_ENTRY_EXISTS');
    const other = await trx
      .selectFrom('research_paper_entries')
      .select('response')
      .where('study_id', '=', study.id)
      .where('paper_id', '=', input.paperId)
      .where('entry', '=', input.entry === 1 ? 2 : 1)
      .executeTakeFirst();
    if (!other) {
      await audit('waiting');
      return 'waiting';
    }
    const otherResponse = other.response as unknown as QuestionnaireResponse;
    const [first, second] = input.entry === 1 ? [input.response, otherResponse] : [otherResponse, input.response];
    if (differences(first, second) > 0) {
      await audit('discrepant');
      return 'discrepant';
    }
    await storeResponse(trx, study, input.paperId, first, true, 0);
    await audit('stored');
    return 'stored';
  });
}

/** Both entries of a paper (for the discrepancy list). */
export async function paperEntries(db: Db, studyId: string, paperId: string) {
  const rows = await db
    .selectFrom('research_paper_entries')
    .select(['entry', 'response'])
    .where('study_id', '=', studyId)
    .where('paper_id', '=', paperId)
    .orderBy('entry')
    .execute();
  const get = (n: number) => rows.find((r) => r.entry === n)?.response as unknown as QuestionnaireResponse | undefined;
  return { first: get(1), second: get(2) };
}

/** Stores the resolved response of a double-entered paper. */
export async function resolvePaper(
  db: Db,
  study: Study,
  actorId: string,
  paperId: string,
  response: QuestionnaireResponse,
  discrepancies: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (await done(trx, study.id, paperId)) throw new SpiegelError('PAPER_DONE');
    await storeResponse(trx, study, paperId, response, true, discrepancies);
    await appendAudit(trx, {
      orgId: study.orgId,
      actorId,
      actorRole: 'researcher',
      action: 'research.paper.resolve',
      subjectType: 'research_study',
      subjectId: study.id,
      outcome: 'ok',
      details: { discrepancies },
    });
  });
}

/** Every paper of the study: which entries exist and whether it is stored. */
export async function paperOverview(db: Db, studyId: string): Promise<PaperStatus[]> {
  const [entries, results] = await Promise.all([
    db.selectFrom('research_paper_entries').select(['paper_id', 'entry']).where('study_id', '=', studyId).execute(),
    db
      .selectFrom('research_paper_results')
      .select(['paper_id', 'discrepancies'])
      .where('study_id', '=', studyId)
      .execute(),
  ]);
  const ids = [...new Set([...entries.map((e) => e.paper_id), ...results.map((r) => r.paper_id)])].sort((a, b) =>
    a.localeCompare(b, 'nl', { numeric: true }),
  );
  return ids.map((paperId) => {
    const result = results.find((r) => r.paper_id === paperId);
    return {
      paperId,
      entries: entries.filter((e) => e.paper_id === paperId).map((e) => e.entry),
      stored: !!result,
      discrepancies: result ? result.discrepancies : null,
    };
  });
}
