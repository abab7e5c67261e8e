import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { createStudy, setStudyStatus, getStudy, sha256 } from '../research.ts';
import { DEMO_STUDY_TITLE, DEMO_SURVEY_TEXT, demoResponses, demoSurvey } from '../../domain/research/demo-study.ts';

const LETTER = [
  '[projecttekst] Dit is een demonstratiestudie met synthetische antwoorden, gemodelleerd naar het onderzoek van ’t Lam en Vingerhoets onder 819 Nederlandse therapeuten.',
  'Deelname is anoniem: we bewaren geen IP-adres en alleen de datum van insturen.',
].join('\n\n');

/** The demo organisation's survey study with 819 synthetic responses (one multi-row insert per 500). */
export async function loadDemoStudy(db: Kysely<Database>, orgId: string): Promise<number> {
  const researcher = await db
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where(sql<boolean>`'researcher' = ANY(roles)`)
    .orderBy('email')
    .executeTakeFirst();
  if (!researcher) return 0;
  const survey = demoSurvey();
  const id = await createStudy(db, {
    orgId,
    ownerId: researcher.id,
    title: DEMO_STUDY_TITLE,
    ethicsReference: 'DEMO-ETH-000 (fictief)',
    legalBasis: 'public-interest',
    retentionUntil: '2036-12-31',
    surveyText: DEMO_SURVEY_TEXT,
    questionnaire: survey.questionnaire,
    informationLetter: LETTER,
    consentText: '[projecttekst] Ik heb de informatie gelezen en doe vrijwillig mee.',
  });
  const study = await getStudy(db, orgId, id);
  await setStudyStatus(db, study, 'open', researcher.id);
  const consentSha = sha256(study.consent.consentText);
  const rows = demoResponses().map((r, i) => ({
    org_id: orgId,
    study_id: id,
    survey_version: 1,
    consent_version: 1,
    consent_text_sha256: consentSha,
    channel: i % 3 === 0 ? 'beroepsvereniging' : 'instellingen',
    submitted_on: new Date(Date.now() - (i % 60) * 86_400_000).toISOString().slice(0, 10),
    duration_ms: r.durationMs,
    response: JSON.stringify(r.response),
    withdrawal_hash: sha256(randomBytes(9).toString('base64url')),
  }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('research_responses')
      .values(rows.slice(i, i + 500))
      .execute();
  for (const channel of ['beroepsvereniging', 'instellingen']) {
    const n = rows.filter((r) => r.channel === channel).length;
    await db
      .insertInto('research_funnel')
      .values([
        { study_id: id, channel, stage: 'completed', count: n },
        { study_id: id, channel, stage: 'consented', count: n + 12 },
        { study_id: id, channel, stage: 'opened', count: n + 40 },
      ])
      .execute();
  }
  return rows.length;
}
