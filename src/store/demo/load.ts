import { loadDemoStudy } from './research.ts';
import type { Kysely, Transaction } from 'kysely';
import { generateDemoOrganisation, DEMO_DAYS, type DemoOrganisation } from '../../domain/demo/model.ts';
import type { Database } from '../schema.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { hashPassword } from '../passwords.ts';
import { demoInstruments, type DemoInstruments } from './instruments.ts';
import { scoreRowsFromResult } from '../scoring.ts';
import { refitExpectedCourse } from '../analytics/expected-course.ts';
import { replayDemoAlerts } from './alerts.ts';
import { runTherapistEffects } from '../analytics/therapist-effects.ts';
import { loadDemoDashboards } from './dashboards.ts';
import type { InstrumentRegistry } from '../../domain/instruments/registry.ts';
import type { ExpectedCurve } from '../../domain/feedback/expected.ts';
import { loadDemoQual } from '../qual/demo.ts';
import { keyringFromEnv } from '../reflection-crypto.ts';

export const DEMO_PASSWORD = 'spiegel-demo-2026';
export const DEMO_ORG_SLUG = 'demo';

const DAY_MS = 86_400_000;
const BATCH = 500;

async function insertBatches<T extends keyof Database>(
  trx: Transaction<Database>,
  table: T,
  rows: Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await trx
      .insertInto(table)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are built to match the table
      .values(rows.slice(i, i + BATCH) as any)
      .execute();
  }
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Writes the demo organisation in one transaction: staff, clients, episodes with participants,
 * measurement plans, sessions, responses and their scores. "Today" is the moment of loading, so the
 * data always covers the last two years.
 */
export async function loadDemo(
  db: Kysely<Database>,
  registry: InstrumentRegistry,
  org: DemoOrganisation = generateDemoOrganisation(),
  now = new Date(),
): Promise<{ staff: number; episodes: number; responses: number }> {
  const instruments = await demoInstruments(registry);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const windowStart = new Date(now.getTime() - DEMO_DAYS * DAY_MS);
  const dayToDate = (day: number) => new Date(windowStart.getTime() + day * DAY_MS);
  let responses = 0;
  await db.transaction().execute(async (trx) => {
    const { id: orgId } = await trx
      .insertInto('organisations')
      .values({
        slug: DEMO_ORG_SLUG,
        name: 'Demo GGZ Spiegel',
        is_demo: true,
        settings: JSON.stringify({ requireTotp: false, demo: true }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const staffIds = new Map<string, string>();
    for (const person of org.staff) {
      const { id } = await trx
        .insertInto('users')
        .values({
          org_id: orgId,
          email: person.email,
          display_name: person.displayName,
          roles: person.roles,
          gender: person.gender,
          password_hash: passwordHash,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      staffIds.set(person.key, id);
    }
    await insertBatches(
      trx,
      'org_instruments',
      instruments.all.map((instrumentId) => ({ org_id: orgId, instrument_id: instrumentId, enabled: true })),
    );

    const clients = org.episodes.map((e) => ({
      id: crypto.randomUUID(),
      org_id: orgId,
      code: e.clientCode,
      therapist_id: staffIds.get(e.therapistKey)!,
    }));
    await insertBatches(trx, 'clients', clients);
    const episodes = org.episodes.map((e, i) => ({
      id: crypto.randomUUID(),
      org_id: orgId,
      client_id: clients[i].id,
      therapist_id: clients[i].therapist_id,
      modality: e.modality,
      status: e.status,
      started_on: isoDate(dayToDate(e.startDay)),
      ended_on: e.endDay === null ? null : isoDate(dayToDate(e.endDay)),
    }));
    await insertBatches(trx, 'episodes', episodes);

    const participants: Record<string, unknown>[] = [];
    const plans: Record<string, unknown>[] = [];
    const sessions: Record<string, unknown>[] = [];
    const contacts: Record<string, unknown>[] = [];
    const responseRows: Record<string, unknown>[] = [];
    const scoreRowsAll: Record<string, unknown>[] = [];
    org.episodes.forEach((demo, i) => {
      const episode = episodes[i];
      plans.push(
        {
          org_id: orgId,
          episode_id: episode.id,
          instrument_id: instruments.phq9.id,
          schedule: 'every_session',
          every_n: null,
        },
        {
          org_id: orgId,
          episode_id: episode.id,
          instrument_id: instruments.alliance.id,
          schedule: 'every_session',
          every_n: null,
        },
      );
      const sessionDays = new Map<number, number>();
      for (const [position, label] of demo.participants.entries()) {
        const participantId = crypto.randomUUID();
        participants.push({ id: participantId, org_id: orgId, episode_id: episode.id, label, position });
        // The designed family shows contact details (synthetic addresses) and scheduled invitations.
        if (demo.scenario === 'family')
          contacts.push({
            participant_id: participantId,
            org_id: orgId,
            episode_id: episode.id,
            email: `${label}@familie.demo.spiegel.test`,
          });
        for (const m of demo.measurements[label]) {
          if (!sessionDays.has(m.session)) sessionDays.set(m.session, m.dayOffset);
          const measuredAt = new Date(dayToDate(m.dayOffset).getTime() + 14 * 3_600_000);
          for (const [instrument, answers] of [
            [instruments.phq9, m.phq9],
            [instruments.alliance, m.alliance],
          ] as const) {
            const responseId = crypto.randomUUID();
            const qr = instrument.toResponse(answers, measuredAt);
            responseRows.push({
              id: responseId,
              org_id: orgId,
              episode_id: episode.id,
              participant_id: participantId,
              instrument_id: instrument.id,
              session_number: m.session,
              questionnaire_response: JSON.stringify(qr),
              submitted_at: measuredAt,
            });
            for (const score of scoreRowsFromResult(registry.get(instrument.id).score(qr))) {
              scoreRowsAll.push({
                ...score,
                response_id: responseId,
                org_id: orgId,
                episode_id: episode.id,
                participant_id: participantId,
                therapist_id: episode.therapist_id,
                instrument_id: instrument.id,
                session_number: m.session,
                measured_at: measuredAt,
              });
            }
          }
        }
      }
      for (const [number, day] of sessionDays)
        sessions.push({ org_id: orgId, episode_id: episode.id, number, held_on: isoDate(dayToDate(day)) });
      if (demo.scenario === 'family')
        sessions.push({
          org_id: orgId,
          episode_id: episode.id,
          number: Math.max(...sessionDays.keys()) + 1,
          status: 'planned',
          held_on: null,
          planned_at: new Date(Date.now() + 3 * 86_400_000),
        });
    });
    responses = responseRows.length;
    await insertBatches(trx, 'participants', participants);
    await insertBatches(trx, 'measurement_plans', plans);
    await insertBatches(trx, 'therapy_sessions', sessions);
    await insertBatches(trx, 'participant_contacts', contacts);
    await insertBatches(trx, 'responses', responseRows);
    await insertBatches(trx, 'scores', scoreRowsAll);
  });
  return { staff: org.staff.length, episodes: org.episodes.length, responses };
}

/** Loads the demo when the database holds no organisation. Returns the login lines to print, or null. */
export async function loadDemoIfEmpty(
  db: Kysely<Database>,
  registry: InstrumentRegistry,
  progress: (line: string) => void = () => undefined,
): Promise<string | null> {
  // Demo staff share a published password: never add them next to real data.
  const real = await db
    .selectFrom('organisations')
    .select('slug')
    .where('is_demo', '=', false)
    .limit(1)
    .executeTakeFirst();
  if (real)
    throw new SpiegelError(
      'DEMO_REFUSED',
      `The database holds a non-demo organisation (${real.slug}); the demo is loaded only into an empty database.`,
    );
  const existing = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  if (existing) return null;
  progress('First start: creating the demo organisation (synthetic data)…');
  const started = Date.now();
  const org = generateDemoOrganisation();
  const counts = await loadDemo(db, registry, org);
  const { id: orgId } = await db
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', DEMO_ORG_SLUG)
    .executeTakeFirstOrThrow();
  const curves = new Map<string, ExpectedCurve>();
  const fit = await refitExpectedCourse(db, orgId, 'phq9', 'total');
  if (fit.status === 'done') curves.set('phq9', fit.curve);
  const alerts = await replayDemoAlerts(db, orgId, registry, curves);
  await runTherapistEffects(db, orgId, 'phq9', 'total', 'higher-is-worse');
  const dashboards = await loadDemoDashboards(db, orgId, registry.all());
  const surveyResponses = await loadDemoStudy(db, orgId);
  progress(`Demo research study: ${surveyResponses} anonymous survey responses.`);
  // The interview project of seed 004 (issue 20); demo mode, so the journal keyring is available.
  await loadDemoQual(db, keyringFromEnv(process.env, true).keyring, orgId);
  progress(
    `Demo organisation ready: ${counts.staff} staff, ${counts.episodes} episodes, ${counts.responses} responses, ${alerts} alerts, ${dashboards.teams} teams, expected course ${fit.status} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  return demoLoginText(org);
}

export function demoLoginText(org: DemoOrganisation): string {
  const pick = (role: string) =>
    org.staff.find((s) => s.roles.includes(role as never) && s.roles.length === 1) ??
    org.staff.find((s) => s.roles.includes(role as never));
  const lines = ['therapist', 'supervisor', 'manager', 'admin', 'researcher'].map(
    (role) => `  ${role.padEnd(11)} ${pick(role)!.email}`,
  );
  return ['', 'Demo logins (demo mode only; every account has the password ' + DEMO_PASSWORD + '):', ...lines, ''].join(
    '\n',
  );
}

export type { DemoInstruments };
