/**
 * Research studies, their links and their anonymous responses (migration 017). Anonymous means: no IP
 * address or user agent is ever passed in here, a response keeps its submit date only, and a
 * single-use token keeps only `used`, so tokens and responses cannot be joined.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { appendAudit } from './audit.ts';
import { SpiegelError } from '../domain/errors.ts';
import type { Questionnaire, QuestionnaireResponse } from '../domain/instruments/fhir.ts';
import type { StoredResponse, Transformation } from '../domain/research/dataset.ts';
import type { EligibilityCriterion } from '../domain/research/eligibility.ts';

type Db = Kysely<Database>;
export type LegalBasis = 'consent' | 'public-interest' | 'legitimate-interest';
export type FunnelStage = 'opened' | 'eligible' | 'screened-out' | 'consented' | 'declined' | 'completed' | 'withdrawn';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const newToken = (): string => randomBytes(18).toString('base64url');

export interface StudyInput {
  orgId: string;
  ownerId: string;
  title: string;
  ethicsReference: string;
  legalBasis: LegalBasis;
  retentionUntil: string;
  surveyText: string;
  questionnaire: Questionnaire;
  informationLetter: string;
  consentText: string;
  /** The eligibility screen before consent; none when empty or absent. */
  eligibility?: EligibilityCriterion[];
}

export interface Study {
  id: string;
  orgId: string;
  ownerId: string;
  title: string;
  ethicsReference: string;
  legalBasis: LegalBasis;
  retentionUntil: string;
  status: 'draft' | 'open' | 'closed';
  surveyText: string;
  questionnaire: Questionnaire;
  surveyVersion: number;
  transformations: Transformation[];
  transformationsVersion: number;
  eligibility: EligibilityCriterion[];
  consent: { version: number; informationLetter: string; consentText: string };
}

export async function createStudy(db: Db, input: StudyInput): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('research_studies')
      .values({
        org_id: input.orgId,
        owner_id: input.ownerId,
        title: input.title,
        ethics_reference: input.ethicsReference,
        legal_basis: input.legalBasis,
        retention_until: input.retentionUntil,
        survey_text: input.surveyText,
        questionnaire: JSON.stringify(input.questionnaire),
        eligibility: JSON.stringify(input.eligibility ?? []),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('research_consent_versions')
      .values({
        study_id: id,
        version: 1,
        information_letter: input.informationLetter,
        consent_text: input.consentText,
      })
      .execute();
    await appendAudit(trx, {
      orgId: input.orgId,
      actorId: input.ownerId,
      actorRole: 'researcher',
      action: 'research.study.create',
      subjectType: 'research_study',
      subjectId: id,
      outcome: 'ok',
    });
    return id;
  });
}

/** Studies of the organisation that this researcher owns, with their response counts. */
export async function listStudies(db: Db, orgId: string, ownerId: string | null) {
  let query = db
    .selectFrom('research_studies as s')
    .select((eb) => [
      's.id',
      's.title',
      's.status',
      's.owner_id as ownerId',
      eb
        .selectFrom('research_responses as r')
        .whereRef('r.study_id', '=', 's.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('responses'),
    ])
    .where('s.org_id', '=', orgId)
    .orderBy('s.created_at', 'desc');
  if (ownerId) query = query.where('s.owner_id', '=', ownerId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    ownerId: r.ownerId,
    responses: Number(r.responses ?? 0),
  }));
}

/** All studies of every organisation (the CLI's list). */
export async function listAllStudies(db: Db) {
  const rows = await db
    .selectFrom('research_studies as s')
    .innerJoin('organisations as o', 'o.id', 's.org_id')
    .select((eb) => [
      's.id',
      's.title',
      's.status',
      'o.slug as org',
      eb
        .selectFrom('research_responses as r')
        .whereRef('r.study_id', '=', 's.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('responses'),
    ])
    .orderBy('s.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    org: r.org,
    responses: Number(r.responses ?? 0),
  }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A study with its latest consent version; `orgId` null only for the CLI (operator access). */
export async function getStudy(db: Db, orgId: string | null, studyId: string): Promise<Study> {
  if (!UUID.test(studyId)) throw new SpiegelError('NOT_FOUND', `No study with id '${studyId}'.`);
  let query = db
    .selectFrom('research_studies')
    .selectAll()
    .select(sql<string>`to_char(retention_until, 'YYYY-MM-DD')`.as('retention'))
    .where('id', '=', studyId);
  if (orgId) query = query.where('org_id', '=', orgId);
  const row = await query.executeTakeFirst();
  if (!row) throw new SpiegelError('NOT_FOUND', `No study with id '${studyId}'.`);
  const consent = await db
    .selectFrom('research_consent_versions')
    .selectAll()
    .where('study_id', '=', studyId)
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    orgId: row.org_id,
    ownerId: row.owner_id,
    title: row.title,
    ethicsReference: row.ethics_reference,
    legalBasis: row.legal_basis,
    retentionUntil: row.retention,
    status: row.status,
    surveyText: row.survey_text,
    questionnaire: row.questionnaire as unknown as Questionnaire,
    surveyVersion: row.survey_version,
    transformations: row.transformations as Transformation[],
    transformationsVersion: row.transformations_version,
    eligibility: (row.eligibility ?? []) as EligibilityCriterion[],
    consent: {
      version: consent.version,
      informationLetter: consent.information_letter,
      consentText: consent.consent_text,
    },
  };
}

export async function setStudyStatus(db: Db, study: Study, status: Study['status'], actorId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('research_studies').set({ status }).where('id', '=', study.id).execute();
    await appendAudit(trx, {
      orgId: study.orgId,
      actorId,
      actorRole: 'researcher',
      action: `research.study.${status}`,
      subjectType: 'research_study',
      subjectId: study.id,
      outcome: 'ok',
    });
  });
}

/** A new consent version; responses keep the version they consented to. */
export async function addConsentVersion(db: Db, study: Study, letter: string, consent: string): Promise<number> {
  const version = study.consent.version + 1;
  await db
    .insertInto('research_consent_versions')
    .values({ study_id: study.id, version, information_letter: letter, consent_text: consent })
    .execute();
  return version;
}

export async function setTransformations(db: Db, study: Study, transformations: Transformation[]): Promise<void> {
  await db
    .updateTable('research_studies')
    .set({
      transformations: JSON.stringify(transformations),
      transformations_version: sql`transformations_version + 1`,
    })
    .where('id', '=', study.id)
    .execute();
}

// ---------------------------------------------------------------- links and tokens

export async function createPublicLink(db: Db, study: Study, channel: string): Promise<string> {
  const token = newToken();
  await db
    .insertInto('research_links')
    .values({
      token_hash: sha256(token),
      study_id: study.id,
      org_id: study.orgId,
      kind: 'public',
      channel,
      public_token: token,
    })
    .execute();
  return token;
}

/** Single-use tokens, shown once; only their hashes are kept. */
export async function createTokens(db: Db, study: Study, channel: string, count: number): Promise<string[]> {
  const tokens = Array.from({ length: count }, newToken);
  await db
    .insertInto('research_links')
    .values(
      tokens.map((t) => ({
        token_hash: sha256(t),
        study_id: study.id,
        org_id: study.orgId,
        kind: 'token' as const,
        channel,
        public_token: null,
      })),
    )
    .execute();
  return tokens;
}

export async function publicLinks(db: Db, studyId: string) {
  return db
    .selectFrom('research_links')
    .select(['public_token as token', 'channel'])
    .where('study_id', '=', studyId)
    .where('kind', '=', 'public')
    .execute();
}

export interface OpenLink {
  study: Study;
  kind: 'public' | 'token';
  channel: string;
}

/** The open study behind a link, or null (unknown, used, or study not open). */
export async function openLink(db: Db, token: string): Promise<OpenLink | null> {
  const link = await db
    .selectFrom('research_links')
    .selectAll()
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!link || link.used) return null;
  const study = await getStudy(db, link.org_id, link.study_id);
  if (study.status !== 'open') return null;
  return { study, kind: link.kind, channel: link.channel };
}

/** The 0-based allocation number of the next respondent for an assignment item (atomic). */
export async function nextAllocation(db: Db, studyId: string, item: string): Promise<number> {
  const row = await db
    .insertInto('research_allocations')
    .values({ study_id: studyId, item, next: 1 })
    .onConflict((oc) => oc.columns(['study_id', 'item']).doUpdateSet({ next: sql`research_allocations.next + 1` }))
    .returning('next')
    .executeTakeFirstOrThrow();
  return row.next - 1;
}

export async function countFunnel(db: Db, studyId: string, channel: string, stage: FunnelStage): Promise<void> {
  await db
    .insertInto('research_funnel')
    .values({ study_id: studyId, channel, stage, count: 1 })
    .onConflict((oc) =>
      oc.columns(['study_id', 'channel', 'stage']).doUpdateSet({ count: sql`research_funnel.count + 1` }),
    )
    .execute();
}

export async function funnel(db: Db, studyId: string) {
  return db
    .selectFrom('research_funnel')
    .select(['channel', 'stage', 'count'])
    .where('study_id', '=', studyId)
    .orderBy('channel')
    .execute();
}

export interface AnonymousSubmission {
  token: string;
  consentVersion: number;
  durationMs: number | null;
  response: QuestionnaireResponse;
  submittedOn: string;
}

/**
 * Stores one anonymous response; uses up a single-use token in the same transaction. Returns the
 * withdrawal code (shown once to the respondent; only its hash is kept).
 */
export async function submitAnonymous(db: Db, input: AnonymousSubmission): Promise<string | null> {
  const withdrawal = randomBytes(9).toString('base64url');
  const done = await db.transaction().execute(async (trx) => {
    const link = await trx
      .updateTable('research_links')
      .set((eb) => ({ used: eb.case().when('kind', '=', 'token').then(true).else(false).end() }))
      .where('token_hash', '=', sha256(input.token))
      .where('used', '=', false)
      .returning(['study_id', 'org_id', 'channel'])
      .executeTakeFirst();
    if (!link) return false;
    const study = await trx
      .selectFrom('research_studies')
      .select(['status', 'survey_version'])
      .where('id', '=', link.study_id)
      .executeTakeFirstOrThrow();
    if (study.status !== 'open') throw new SpiegelError('STUDY_NOT_OPEN');
    const consent = await trx
      .selectFrom('research_consent_versions')
      .select('consent_text')
      .where('study_id', '=', link.study_id)
      .where('version', '=', input.consentVersion)
      .executeTakeFirst();
    if (!consent) throw new SpiegelError('CONSENT_REQUIRED');
    await trx
      .insertInto('research_responses')
      .values({
        org_id: link.org_id,
        study_id: link.study_id,
        survey_version: study.survey_version,
        consent_version: input.consentVersion,
        consent_text_sha256: sha256(consent.consent_text),
        channel: link.channel,
        submitted_on: input.submittedOn,
        duration_ms: input.durationMs,
        response: JSON.stringify(input.response),
        withdrawal_hash: sha256(withdrawal),
      })
      .execute();
    await countFunnel(trx, link.study_id, link.channel, 'completed');
    return true;
  });
  return done ? withdrawal : null;
}

/** Deletes the answers behind a withdrawal code. */
export async function withdraw(db: Db, code: string): Promise<void> {
  const row = await db
    .deleteFrom('research_responses')
    .where('withdrawal_hash', '=', sha256(code.trim()))
    .returning(['study_id', 'channel'])
    .executeTakeFirst();
  if (!row) throw new SpiegelError('WITHDRAWAL_CODE_UNKNOWN');
  await countFunnel(db, row.study_id, row.channel, 'withdrawn');
}

// ---------------------------------------------------------------- reading responses

/** The study's responses in a stable order (by id: random, so the order reveals nothing). */
export async function studyResponses(db: Db, studyId: string): Promise<StoredResponse[]> {
  const rows = await db
    .selectFrom('research_responses')
    .select(['id', 'channel', 'consent_version', 'duration_ms', 'response'])
    .select(sql<string>`to_char(submitted_on, 'YYYY-MM-DD')`.as('submitted'))
    .where('study_id', '=', studyId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    submittedOn: r.submitted,
    channel: r.channel,
    consentVersion: r.consent_version,
    durationMs: r.duration_ms,
    response: r.response as unknown as QuestionnaireResponse,
  }));
}

/**
 * The open-text answers of a study, one entry per respondent (for qualitative coding, issue 20).
 * `respondent` is the response id; `items` the non-empty text answers with their question.
 */
export async function openTextAnswers(
  db: Db,
  orgId: string,
  studyId: string,
): Promise<{ respondent: string; items: { linkId: string; question: string; text: string }[] }[]> {
  const study = await getStudy(db, orgId, studyId);
  const questions = new Map(
    (study.questionnaire.item ?? [])
      .filter((i) => i.type === 'text' || i.type === 'string')
      .map((i) => [i.linkId, i.text ?? i.linkId]),
  );
  const out: { respondent: string; items: { linkId: string; question: string; text: string }[] }[] = [];
  for (const r of await studyResponses(db, studyId)) {
    const items = (r.response.item ?? [])
      .filter(
        (i) =>
          questions.has(i.linkId) &&
          typeof i.answer?.[0]?.valueString === 'string' &&
          i.answer[0].valueString.trim() !== '',
      )
      .map((i) => ({ linkId: i.linkId, question: questions.get(i.linkId)!, text: i.answer![0].valueString! }));
    if (items.length > 0) out.push({ respondent: r.id, items });
  }
  return out;
}
