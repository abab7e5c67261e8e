import { randomBytes } from 'node:crypto';
import { createReflectionRecords } from './reflection/testing.ts';
import { createShare } from '../store/reflection-shares.ts';
import { createStudy } from '../store/research.ts';
import { surveyFromText } from '../domain/research/survey.ts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../store/schema.ts';
import { sha256 } from '../store/users.ts';
import { createSession } from './auth/sessions.ts';
import { sessionCookieName } from './auth/guard.ts';
import { createOrg, createUser, CSRF_IN_PAGE } from './testing.ts';
import { csrfCookieName } from './auth/csrf.ts';
import { saveProject } from '../store/qual/projects.ts';
import { appKeyring } from './keyring.ts';
import { journalKeyAtLogin } from '../store/journal-keys.ts';

// A small, fixed world for access tests: two organisations. Organisation A has two therapists, each
// with a client, an episode (with a participant, a plan, a session, an invitation, a response with
// its score, and an alert), plus a supervisor, a manager, an admin and a researcher. Organisation B
// has one therapist with the same kind of records, and an admin.
//
// Every resource kind has three ids, relative to the *caller*:
//   own     — therapist A1's (the caller for the therapist role; also what is shared with the supervisor)
//   other   — therapist A2's, in the same organisation
//   foreign — therapist B's, in the other organisation
// Add a kind by creating its rows in `createRecords` and naming it in ResourceKind.

export type ResourceKind =
  | 'client'
  | 'episode'
  | 'participant'
  | 'plan'
  | 'therapySession'
  | 'invitation'
  | 'response'
  | 'alert'
  | 'user'
  // reflection items; the disposable ones are for routes that delete, archive or revoke
  | 'selfCheck'
  | 'journalEntry'
  | 'practiceGoal'
  | 'share'
  | 'disposableSelfCheck'
  | 'disposableJournalEntry'
  | 'disposablePracticeGoal'
  | 'disposableShare'
  // research (issue 19): a study owned by the researcher caller (own), another researcher of A, one of B
  | 'study'
  // interview coding (issue 20): a project led by that researcher with that organisation's therapist as coder
  | 'qualProject';
export const RESOURCE_KINDS: readonly ResourceKind[] = [
  'study',
  'qualProject',
  'client',
  'episode',
  'participant',
  'plan',
  'therapySession',
  'invitation',
  'response',
  'alert',
  'user',
  'selfCheck',
  'journalEntry',
  'practiceGoal',
  'share',
  'disposableSelfCheck',
  'disposableJournalEntry',
  'disposablePracticeGoal',
  'disposableShare',
];
export type Target = 'own' | 'other' | 'foreign';
export type Caller = Role | 'anonymous';
export const CALLERS: readonly Caller[] = ['anonymous', 'admin', 'therapist', 'supervisor', 'manager', 'researcher'];

export interface WorldUser {
  id: string;
  orgId: string;
  email: string;
  roles: Role[];
}

type Records = Record<ResourceKind, string> & { clientCode: string };

export interface World {
  app: FastifyInstance;
  orgA: string;
  orgB: string;
  /** The org-A user who plays each role (the therapist is A1). */
  callers: Record<Role, WorldUser>;
  therapistA2: WorldUser;
  therapistB: WorldUser;
  adminB: WorldUser;
  records: { own: Records; other: Records; foreign: Records };
  id(kind: ResourceKind, target: Target): string;
  /** Cookies and headers for one request as `user` (null: anonymous), with a fresh session and a valid CSRF token. */
  as(user: WorldUser | null): Promise<{ cookies: Record<string, string>; headers: Record<string, string> }>;
  /** One request as `user`, JSON in and out unless `form` is set. */
  request(
    user: WorldUser | null,
    method: string,
    url: string,
    options?: { body?: unknown; form?: boolean; accept?: string; remoteAddress?: string },
  ): Promise<LightMyRequestResponse>;
}

let counter = 0;

type ClinicalKind =
  'client' | 'episode' | 'participant' | 'plan' | 'therapySession' | 'invitation' | 'response' | 'alert';

async function createRecords(
  app: FastifyInstance,
  orgId: string,
  therapistId: string,
  tag: string,
): Promise<Record<ClinicalKind, string> & { clientCode: string }> {
  const db = app.ctx.store.db;
  return db.transaction().execute(async (trx) => {
    const code = `W-${tag}`;
    const client = await trx
      .insertInto('clients')
      .values({ org_id: orgId, code, therapist_id: therapistId, alias: `alias ${tag}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    const episode = await trx
      .insertInto('episodes')
      .values({
        org_id: orgId,
        client_id: client.id,
        therapist_id: therapistId,
        modality: 'individual',
        started_on: '2024-01-08',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const participant = await trx
      .insertInto('participants')
      .values({ org_id: orgId, episode_id: episode.id, label: 'client' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('participant_contacts')
      .values({ participant_id: participant.id, org_id: orgId, episode_id: episode.id, email: 'client@example.org' })
      .execute();
    const plan = await trx
      .insertInto('measurement_plans')
      .values({
        org_id: orgId,
        episode_id: episode.id,
        instrument_id: 'phq9',
        schedule: 'every_session',
        every_n: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const session = await trx
      .insertInto('therapy_sessions')
      .values({ org_id: orgId, episode_id: episode.id, number: 1, held_on: '2024-01-08' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const invitation = await trx
      .insertInto('invitations')
      .values({
        org_id: orgId,
        episode_id: episode.id,
        participant_id: participant.id,
        session_id: session.id,
        token_hash: sha256(randomBytes(24).toString('base64url')),
        instrument_ids: ['phq9'],
        expires_at: new Date(Date.now() + 7 * 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const qr = {
      resourceType: 'QuestionnaireResponse',
      questionnaire: 'phq9',
      status: 'completed',
      authored: '2024-01-08T10:00:00Z',
      item: [
        {
          linkId: 'phq9-1',
          text: 'Little interest',
          answer: [{ valueCoding: { code: '1', display: 'Several days' } }],
        },
      ],
    };
    const response = await trx
      .insertInto('responses')
      .values({
        org_id: orgId,
        episode_id: episode.id,
        participant_id: participant.id,
        invitation_id: null,
        instrument_id: 'phq9',
        session_number: 1,
        questionnaire_response: JSON.stringify(qr),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('scores')
      .values({
        response_id: response.id,
        scale_id: 'total',
        org_id: orgId,
        episode_id: episode.id,
        participant_id: participant.id,
        therapist_id: therapistId,
        instrument_id: 'phq9',
        session_number: 1,
        value: 11,
        band: 'moderate',
        risk: false,
        measured_at: '2024-01-08T10:00:00Z',
      })
      .execute();
    const alert = await trx
      .insertInto('alerts')
      .values({
        org_id: orgId,
        episode_id: episode.id,
        response_id: response.id,
        rule: 'risk',
        event_key: `r-${tag}`,
        severity: 'urgent',
        reason: JSON.stringify({
          nl: 'Risico-item beantwoord.',
          en: 'Risk item endorsed.',
          rule: 'risk',
          sessionNumber: 1,
          instrumentId: 'phq9',
          participantId: participant.id,
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      clientCode: code,
      client: client.id,
      episode: episode.id,
      participant: participant.id,
      plan: plan.id,
      therapySession: session.id,
      invitation: invitation.id,
      response: response.id,
      alert: alert.id,
    };
  });
}

/** Builds the world in a fresh app (from `testApp`). Organisation A does not require TOTP. */
export async function buildWorld(app: FastifyInstance): Promise<World> {
  const n = ++counter;
  const orgA = await createOrg(app, `world-a-${n}`, { requireTotp: false });
  const orgB = await createOrg(app, `world-b-${n}`, { requireTotp: false });
  const user = async (orgId: string, name: string, roles: Role[]): Promise<WorldUser> => {
    const email = `${name}-${n}@world.test`;
    return { id: await createUser(app, orgId, email, roles), orgId, email, roles };
  };
  const callers: Record<Role, WorldUser> = {
    therapist: await user(orgA, 'therapist-a1', ['therapist']),
    admin: await user(orgA, 'admin-a', ['admin']),
    supervisor: await user(orgA, 'supervisor-a', ['supervisor']),
    manager: await user(orgA, 'manager-a', ['manager']),
    researcher: await user(orgA, 'researcher-a', ['researcher']),
  };
  const therapistA2 = await user(orgA, 'therapist-a2', ['therapist']);
  const therapistB = await user(orgB, 'therapist-b', ['therapist']);
  const adminB = await user(orgB, 'admin-b', ['admin']);
  // Each therapist's reflection items are shared with a supervisor of their own organisation: A1's
  // with the supervisor caller, A2's with a second supervisor, B's with a supervisor of B.
  const supervisorA2 = await user(orgA, 'supervisor-a2', ['supervisor']);
  const supervisorB = await user(orgB, 'supervisor-b', ['supervisor']);
  const reflection = async (owner: WorldUser, supervisor: WorldUser) => {
    const main = await createReflectionRecords(app, { orgId: owner.orgId, userId: owner.id }, supervisor.id);
    const spare = await createReflectionRecords(app, { orgId: owner.orgId, userId: owner.id }, null);
    // The share to revoke is of an item no other matrix route deletes (the main practice goal).
    const revocable = await createShare(
      app.ctx.store.db,
      { owner: appKeyring(app), instance: appKeyring(app) },
      { orgId: owner.orgId, userId: owner.id, roles: ['therapist'] },
      'practice_goal',
      main.practiceGoal,
      supervisor.id,
    );
    return {
      selfCheck: main.selfCheck,
      journalEntry: main.journalEntry,
      practiceGoal: main.practiceGoal,
      share: main.share!,
      disposableSelfCheck: spare.selfCheck,
      disposableJournalEntry: spare.journalEntry,
      disposablePracticeGoal: spare.practiceGoal,
      disposableShare: revocable,
    };
  };
  const study = async (owner: WorldUser, title: string) =>
    createStudy(app.ctx.store.db, {
      orgId: owner.orgId,
      ownerId: owner.id,
      title,
      ethicsReference: 'ETH',
      legalBasis: 'consent',
      retentionUntil: '2030-01-01',
      surveyText: 'yesno q | Vraag?',
      questionnaire: surveyFromText('yesno q | Vraag?', { id: 'w', title, version: 1, lang: 'nl' }).questionnaire,
      informationLetter: 'Brief',
      consentText: 'Toestemming',
    });
  const researcherA2 = await user(orgA, 'researcher-a2', ['researcher']);
  const researcherB = await user(orgB, 'researcher-b', ['researcher']);
  const studies = {
    own: await study(callers.researcher, 'own'),
    other: await study(researcherA2, 'other'),
    foreign: await study(researcherB, 'foreign'),
  };
  // Case P01 is coded (so its text is fixed) with code 1A; the therapist of each organisation codes.
  const qualProject = async (lead: WorldUser, coder: WorldUser, name: string) =>
    saveProject(
      app.ctx.store.db,
      appKeyring(app),
      { orgId: lead.orgId, userId: lead.id, role: 'researcher' },
      {
        id: `world-${name}-${n}`,
        name,
        coders: [{ id: 'c', name: 'coder' }],
        codes: [
          {
            id: '1A',
            label: '1A',
            name: 'Thema',
            parentId: null,
            definition: '',
            inclusion: '',
            exclusion: '',
            example: '',
            colour: '#1f77b4',
            order: 0,
            equivalentTo: null,
          },
        ],
        documents: [{ id: 'P01', caseLabel: 'P01', text: 'Een verhaal over het vak.\n', attributes: {} }],
        segments: [{ id: 's', documentId: 'P01', codeId: '1A', coderId: 'c', start: 0, end: 3 }],
        memos: [],
      },
      [
        { userId: lead.id, role: 'investigator' },
        { userId: coder.id, role: 'coder', coderId: 'c' },
      ],
    );
  const qualProjects = {
    own: await qualProject(callers.researcher, callers.therapist, 'own'),
    other: await qualProject(researcherA2, therapistA2, 'other'),
    foreign: await qualProject(researcherB, therapistB, 'foreign'),
  };
  const records = {
    own: {
      study: studies.own,
      qualProject: qualProjects.own,
      ...(await createRecords(app, orgA, callers.therapist.id, `a1-${n}`)),
      ...(await reflection(callers.therapist, callers.supervisor)),
      user: callers.therapist.id,
    },
    other: {
      study: studies.other,
      qualProject: qualProjects.other,
      ...(await createRecords(app, orgA, therapistA2.id, `a2-${n}`)),
      ...(await reflection(therapistA2, supervisorA2)),
      user: therapistA2.id,
    },
    foreign: {
      study: studies.foreign,
      qualProject: qualProjects.foreign,
      ...(await createRecords(app, orgB, therapistB.id, `b-${n}`)),
      ...(await reflection(therapistB, supervisorB)),
      user: therapistB.id,
    },
  };

  // One CSRF secret for every request. A token is bound to the secret and to the session (or to no
  // session): the login page gives the anonymous one, each new session gets its own from a page.
  const csrfCookie = csrfCookieName(app.ctx.config);
  const loginPage = await app.inject({ method: 'GET', url: '/login' });
  const csrfSecret = loginPage.cookies.find((c) => c.name === csrfCookie)!.value;
  const anonymousToken = /name="_csrf" value="([^"]+)"/.exec(loginPage.body)![1];
  const cookieName = sessionCookieName(app.ctx.config);
  const tokenFor = async (cookies: Record<string, string>): Promise<string> => {
    const page = await app.inject({ method: 'GET', url: '/app/account', cookies, headers: { accept: 'text/html' } });
    const match = CSRF_IN_PAGE.exec(page.body);
    return match ? (match[1] ?? match[2]) : anonymousToken; // e.g. a user who must enrol TOTP first
  };

  const journalKeys: Record<string, Promise<Buffer>> = {};
  const world: World = {
    app,
    orgA,
    orgB,
    callers,
    therapistA2,
    therapistB,
    adminB,
    records,
    id: (kind, target) => records[target][kind],
    async as(who) {
      const cookies: Record<string, string> = { [csrfCookie]: csrfSecret };
      if (!who) return { cookies, headers: { 'x-csrf-token': anonymousToken } };
      // As at login: the user's journal key (made, and their rows moved to it, on first use; decision 0035).
      journalKeys[who.id] ??= journalKeyAtLogin(
        app.ctx.store.db,
        appKeyring(app),
        { orgId: who.orgId, userId: who.id },
        'x',
      );
      const journalKey = await journalKeys[who.id];
      cookies[cookieName] = await createSession(app.ctx.store.db, { id: who.id, org_id: who.orgId }, journalKey);
      return { cookies, headers: { 'x-csrf-token': await tokenFor(cookies) } };
    },
    async request(who, method, url, options = {}) {
      const { cookies, headers } = await world.as(who);
      const allHeaders: Record<string, string> = { ...headers, accept: options.accept ?? 'application/json' };
      let payload: string | undefined;
      if (options.body !== undefined) {
        if (options.form) {
          allHeaders['content-type'] = 'application/x-www-form-urlencoded';
          payload = new URLSearchParams({
            ...(options.body as Record<string, string>),
            _csrf: headers['x-csrf-token'],
          }).toString();
        } else {
          allHeaders['content-type'] = 'application/json';
          payload = JSON.stringify(options.body);
        }
      }
      return app.inject({
        method: method as 'GET',
        url,
        headers: allHeaders,
        cookies,
        payload,
        remoteAddress: options.remoteAddress,
      });
    },
  };
  return world;
}

/** A distinct client IP per call, so per-IP rate limits never decide an access test. */
export function nextIp(): string {
  const i = ++counter;
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}
