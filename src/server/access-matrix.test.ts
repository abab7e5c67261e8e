import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../store/schema.ts';
import { describeEachDialect } from '../store/testing.ts';
import {
  buildWorld,
  CALLERS,
  nextIp,
  type Caller,
  type ResourceKind,
  type Target,
  type World,
} from './testing-world.ts';
import { testApp } from './testing.ts';

// The access matrix: EVERY declared route × every role (and anonymous) × own / someone else's /
// another organisation's resource, with the expected outcome stated here, independently of the
// route's own declaration. A route without an entry fails the test. How to add one: docs/security.md.
//
//   allow:  'public' (anyone, also without login) or, per role, 'any' (every resource of the own
//           organisation) or 'own' (only the caller's own: therapist A1's, or shared with the
//           supervisor). Roles not listed are denied: 401 without login, 403 with.
//   params: path parameters, as a world resource kind or a fixed { value }.
//   body:   a body that passes validation but changes nothing that matters (a wrong confirmation,
//           the current values). Strings '$<kind>' are replaced by the target's id of that kind.
//   query:  a query string (without '?').

type Grant = 'any' | 'own';
interface MatrixEntry {
  allow: 'public' | Partial<Record<Role, Grant>>;
  params?: Record<string, ResourceKind | { value: string }>;
  body?: Record<string, unknown>;
  query?: string;
}

const TOKEN = { value: 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdE' };
const ALL: Partial<Record<Role, Grant>> = {
  admin: 'any',
  therapist: 'any',
  supervisor: 'any',
  manager: 'any',
  researcher: 'any',
};
const ADMIN: Partial<Record<Role, Grant>> = { admin: 'any' };
const THERAPIST: Partial<Record<Role, Grant>> = { therapist: 'any' };
const THERAPIST_OWN: Partial<Record<Role, Grant>> = { therapist: 'own' };

export const MATRIX: Record<string, MatrixEntry> = {
  // foundation
  'GET /': { allow: 'public' },
  'GET /healthz': { allow: 'public' },
  'GET /readyz': { allow: 'public' },
  'GET /static/:file': { allow: 'public', params: { file: { value: 'app.css' } } },
  'GET /app': { allow: ALL },
  // login and password links
  'GET /login': { allow: 'public' },
  'POST /login': { allow: 'public', body: { email: 'nobody@example.org', password: 'not the password' } },
  'POST /logout': { allow: 'public', body: {} },
  'GET /password/forgot': { allow: 'public' },
  'POST /password/forgot': { allow: 'public', body: { email: 'nobody@example.org' } },
  'GET /password/set/:token': { allow: 'public', params: { token: TOKEN } },
  'POST /password/set': {
    allow: 'public',
    body: { token: TOKEN.value, password: 'a long enough password', repeat: 'a long enough password' },
  },
  // own account
  'GET /app/account': { allow: ALL },
  'POST /app/account/password': {
    allow: ALL,
    body: { current: 'not the password', password: 'a long enough password', repeat: 'a long enough password' },
  },
  'GET /app/account/totp': { allow: ALL },
  'POST /app/account/totp': { allow: ALL, body: { code: '000000' } },
  // administration
  'GET /app/admin': { allow: ADMIN },
  'GET /app/admin/users': { allow: ADMIN },
  'POST /app/admin/users': {
    allow: ADMIN,
    body: { email: 'matrix-invite@world.test', displayName: 'Invited by the matrix', roles: ['therapist'] },
  },
  'POST /app/admin/users/:userId': {
    allow: ADMIN,
    params: { userId: 'user' },
    body: { roles: ['therapist'], active: true },
  },
  'POST /app/admin/users/:userId/totp-reset': { allow: ADMIN, params: { userId: 'user' }, body: {} },
  'POST /app/admin/users/:userId/password-link': { allow: ADMIN, params: { userId: 'user' }, body: {} },
  'GET /app/admin/settings': { allow: ADMIN },
  'POST /app/admin/settings': {
    allow: ADMIN,
    body: { requireTotp: false, auditRetentionDays: null, clientRetentionYears: null },
  },
  'GET /app/admin/audit': { allow: ADMIN, query: 'action=auth.&outcome=ok' },
  'GET /app/admin/audit.csv': { allow: ADMIN },
  'GET /app/admin/erasure': { allow: ADMIN, query: 'code=W-none' },
  // GDPR
  'GET /api/gdpr/clients/:clientId/bundle': { allow: THERAPIST_OWN, params: { clientId: 'client' } },
  'GET /app/gdpr/clients/:clientId': { allow: THERAPIST_OWN, params: { clientId: 'client' } },
  'POST /api/gdpr/clients/:clientId/erase': {
    allow: { therapist: 'own', admin: 'any' },
    params: { clientId: 'client' },
    body: { confirmCode: 'not-the-code' },
  },
  // clients, episodes, invitations (therapist's own records)
  'POST /api/clients': { allow: THERAPIST, body: { code: 'MATRIX-NEW' } },
  'GET /api/clients': { allow: THERAPIST },
  'POST /api/episodes': {
    allow: THERAPIST_OWN,
    body: { clientId: '$client', modality: 'individual', startedOn: '2024-03-01', withoutPlan: true },
  },
  'GET /api/episodes/:episodeId': { allow: THERAPIST_OWN, params: { episodeId: 'episode' } },
  'PATCH /api/episodes/:episodeId': {
    allow: THERAPIST_OWN,
    params: { episodeId: 'episode' },
    body: { status: 'active' },
  },
  'POST /api/episodes/:episodeId/sessions': {
    allow: THERAPIST_OWN,
    params: { episodeId: 'episode' },
    body: { heldOn: '2024-03-01' },
  },
  'POST /api/episodes/:episodeId/invitations': {
    allow: THERAPIST_OWN,
    params: { episodeId: 'episode' },
    body: { participantId: '$participant' },
  },
  'GET /api/episodes/:episodeId/invitations': { allow: THERAPIST_OWN, params: { episodeId: 'episode' } },
  'POST /api/invitations/:invitationId/reissue': {
    allow: THERAPIST_OWN,
    params: { invitationId: 'invitation' },
    body: {},
  },
  'POST /api/invitations/:invitationId/revoke': {
    allow: THERAPIST_OWN,
    params: { invitationId: 'invitation' },
    body: {},
  },
  // caseload, episode pages, alerts (feedback)
  'GET /app/caseload': { allow: THERAPIST },
  'GET /api/caseload': { allow: THERAPIST },
  'GET /app/episodes/:episodeId': { allow: THERAPIST_OWN, params: { episodeId: 'episode' } },
  'GET /app/episodes/:episodeId/report.pdf': { allow: THERAPIST_OWN, params: { episodeId: 'episode' } },
  'POST /app/episodes/:episodeId/invitations': {
    allow: THERAPIST_OWN,
    params: { episodeId: 'episode' },
    body: { participantId: '$participant' },
  },
  // daily practice (issue 15): clients, episodes, plan, sessions, invitations, messaging settings
  'GET /app/clients': { allow: THERAPIST },
  'GET /app/clients/new': { allow: THERAPIST },
  'POST /app/clients': { allow: THERAPIST, body: { code: '' } },
  'GET /app/clients/:clientId/edit': { allow: THERAPIST_OWN, params: { clientId: 'client' } },
  'POST /app/clients/:clientId': { allow: THERAPIST_OWN, params: { clientId: 'client' }, body: { code: '' } },
  'GET /app/clients/:clientId/episodes/new': { allow: THERAPIST_OWN, params: { clientId: 'client' } },
  'POST /app/clients/:clientId/episodes': { allow: THERAPIST_OWN, params: { clientId: 'client' }, body: {} },
  'GET /app/episodes/:episodeId/plan': { allow: THERAPIST_OWN, params: { episodeId: 'episode' } },
  'POST /app/episodes/:episodeId/plan': { allow: THERAPIST_OWN, params: { episodeId: 'episode' }, body: {} },
  'GET /app/episodes/:episodeId/participants': { allow: THERAPIST_OWN, params: { episodeId: 'episode' } },
  'POST /app/episodes/:episodeId/participants': { allow: THERAPIST_OWN, params: { episodeId: 'episode' }, body: {} },
  'POST /app/episodes/:episodeId/sessions': {
    allow: THERAPIST_OWN,
    params: { episodeId: 'episode' },
    body: { action: 'none' },
  },
  'GET /app/episodes/:episodeId/close': { allow: THERAPIST_OWN, params: { episodeId: 'episode' } },
  'POST /app/episodes/:episodeId/status': {
    allow: THERAPIST_OWN,
    params: { episodeId: 'episode' },
    body: { status: 'active' },
  },
  'POST /app/alerts/acknowledge': {
    allow: THERAPIST_OWN,
    body: { alertId: '$alert', note: 'Discussed in session (matrix).', back: '$episode' },
  },
  'GET /app/invitations/:invitationId': { allow: THERAPIST_OWN, params: { invitationId: 'invitation' } },
  'GET /app/invitations/:invitationId/revoke': { allow: THERAPIST_OWN, params: { invitationId: 'invitation' } },
  'POST /app/invitations/:invitationId/revoke': { allow: THERAPIST_OWN, params: { invitationId: 'invitation' } },
  'POST /app/invitations/:invitationId/reissue': { allow: THERAPIST_OWN, params: { invitationId: 'invitation' } },
  // organisation settings and teams (issue 17); bodies that fail validation change nothing
  'GET /app/admin/organisation': { allow: ADMIN },
  'POST /app/admin/organisation/:section': {
    allow: ADMIN,
    params: { section: { value: 'dashboards' } },
    body: { minTherapists: '4', minEpisodes: '10', followUpHours: '72' },
  },
  'GET /app/admin/teams': { allow: ADMIN },
  'POST /app/admin/teams': { allow: ADMIN, body: { name: '' } },
  'POST /app/admin/teams/:id': { allow: ADMIN, params: { id: { value: 'not-a-team' } }, body: { name: '' } },
  'POST /app/admin/teams/:id/delete': { allow: ADMIN, params: { id: { value: 'not-a-team' } }, body: {} },
  // manager dashboards (aggregates only) and the therapist's own outcome view
  'GET /app/dashboards': { allow: { manager: 'any' } },
  'GET /app/dashboards.csv': { allow: { manager: 'any' } },
  'GET /app/dashboards.pdf': { allow: { manager: 'any' } },
  'GET /app/dashboards/mine': { allow: THERAPIST },
  'GET /app/admin/messaging': { allow: ADMIN },
  'POST /app/admin/messaging': {
    allow: ADMIN,
    body: { hoursBefore: '48', reminderAfterHours: '24', scheduled: 'yes', riskEmail: 'yes' },
  },
  'POST /app/alerts/:alertId/acknowledge': {
    allow: THERAPIST_OWN,
    params: { alertId: 'alert' },
    body: { note: 'Discussed in session (matrix).' },
  },
  'POST /api/alerts/:alertId/acknowledge': {
    allow: THERAPIST_OWN,
    params: { alertId: 'alert' },
    body: { note: 'Discussed in session (matrix).' },
  },
  // effectiveness: own mirror for therapists, aggregates for managers
  'GET /app/effectiveness': { allow: THERAPIST },
  'GET /api/effectiveness/me': { allow: THERAPIST },
  'GET /app/organisation': { allow: { manager: 'any' } },
  'GET /api/organisation/therapist-effects': { allow: { manager: 'any' } },
  'POST /app/organisation/refresh': { allow: { manager: 'any', admin: 'any' }, body: {} },
  // reflection (routes without an id; routes with one need their resource kinds in testing-world.ts)
  'GET /app/self-check': { allow: THERAPIST },
  'POST /app/self-check': { allow: THERAPIST, body: {} },
  'POST /app/self-check/settings': { allow: THERAPIST, body: { interval: '6' } },
  'GET /app/journal': { allow: THERAPIST },
  'GET /app/journal/new': { allow: THERAPIST },
  'POST /app/journal/unlock': { allow: THERAPIST, body: { secret: 'not an earlier password' } },
  'POST /app/journal/recovery-code': { allow: THERAPIST, body: {} },
  'POST /app/journal': { allow: THERAPIST, body: {} },
  'GET /app/practice': { allow: THERAPIST },
  'POST /app/practice/goals': { allow: THERAPIST, body: {} },
  'POST /app/practice/logs': { allow: THERAPIST, body: {} },
  'GET /app/shared': { allow: { supervisor: 'any' } },
  'GET /api/reflection/self-check/status': { allow: THERAPIST },
  'GET /api/reflection/journal': { allow: THERAPIST },
  'GET /api/reflection/practice/weekly': { allow: THERAPIST },
  'GET /api/reflection/shared': { allow: { supervisor: 'any' } },
  'GET /app/self-check/:id': { allow: THERAPIST_OWN, params: { id: 'selfCheck' } },
  'GET /app/self-check/:id/pdf': { allow: THERAPIST_OWN, params: { id: 'selfCheck' } },
  'GET /app/self-check/:id/:module': {
    allow: THERAPIST_OWN,
    params: { id: 'selfCheck', module: { value: 'emotions' } },
  },
  'POST /app/self-check/:id/:module': {
    allow: THERAPIST_OWN,
    params: { id: 'selfCheck', module: { value: 'emotions' } },
    body: {},
  },
  'POST /app/self-check/:id/complete': { allow: THERAPIST_OWN, params: { id: 'selfCheck' }, body: {} },
  'POST /app/self-check/:id/delete': { allow: THERAPIST_OWN, params: { id: 'disposableSelfCheck' }, body: {} },
  'GET /api/reflection/self-checks/:id/report': { allow: THERAPIST_OWN, params: { id: 'selfCheck' } },
  'GET /app/journal/:id': { allow: THERAPIST_OWN, params: { id: 'journalEntry' } },
  'GET /app/journal/:id/edit': { allow: THERAPIST_OWN, params: { id: 'journalEntry' } },
  'POST /app/journal/:id': {
    allow: THERAPIST_OWN,
    params: { id: 'journalEntry' },
    body: { title: 'World entry', text: 'World text' },
  },
  'POST /app/journal/:id/delete': { allow: THERAPIST_OWN, params: { id: 'disposableJournalEntry' }, body: {} },
  'GET /app/practice/goals/:id': { allow: THERAPIST_OWN, params: { id: 'practiceGoal' } },
  'POST /app/practice/goals/:id/archive': { allow: THERAPIST_OWN, params: { id: 'disposablePracticeGoal' }, body: {} },
  'POST /app/reflection/shares': { allow: THERAPIST, body: {} },
  'POST /app/reflection/shares/:id/revoke': { allow: THERAPIST_OWN, params: { id: 'disposableShare' }, body: {} },
  'POST /app/reflection/shares/:id/comments': {
    allow: THERAPIST_OWN,
    params: { id: 'share' },
    body: { text: 'Matrix comment.' },
  },
  'GET /app/shared/:id': { allow: { supervisor: 'own' }, params: { id: 'share' } },
  'POST /app/shared/:id/comments': {
    allow: { supervisor: 'own' },
    params: { id: 'share' },
    body: { text: 'Matrix comment.' },
  },
  // instruments, research
  'GET /app/admin/instruments': { allow: ADMIN },
  'GET /app/admin/instruments/import': { allow: ADMIN },
  'POST /app/admin/instruments/import': { allow: ADMIN, body: { questionnaire: '{}', step: 'check' } },
  'POST /app/admin/instruments/:instrumentId': {
    allow: ADMIN,
    params: { instrumentId: { value: 'phq9' } },
    body: { enabled: 'true' },
  },
  'GET /app/research': { allow: { researcher: 'any' } },
  // the client's form: the token is the key
  // research studies (issue 19): a study id of nobody's study; anonymous survey links
  // interview coding (issue 20): members of the project; the investigator is a researcher
  'GET /app/qual': { allow: { researcher: 'any', therapist: 'any' } },
  'POST /app/qual': { allow: { researcher: 'any' }, body: { name: '', language: 'nl' } },
  'GET /app/qual/:id': { allow: { researcher: 'own', therapist: 'own' }, params: { id: 'qualProject' } },
  'POST /app/qual/:id/members': {
    allow: { researcher: 'own' },
    params: { id: 'qualProject' },
    body: { user: '$user', role: 'coder' },
  },
  'POST /app/qual/:id/documents': {
    allow: { researcher: 'own' },
    params: { id: 'qualProject' },
    body: { case: 'P01', text: 'Een verhaal over het vak.' },
  },
  'POST /app/qual/:id/codebook': {
    allow: { researcher: 'own' },
    params: { id: 'qualProject' },
    body: { fileName: 'c.csv', content: 'label,name,colour\n1A,Thema,#1f77b4\n' },
  },
  'GET /app/qual/:id/pseudonymise': { allow: { researcher: 'own' }, params: { id: 'qualProject' }, query: 'case=P01' },
  'POST /app/qual/:id/pseudonymise': {
    allow: { researcher: 'own' },
    params: { id: 'qualProject' },
    query: 'case=P01',
    body: { replacements: '' },
  },
  'POST /app/qual/:id/blinding': {
    allow: { researcher: 'own' },
    params: { id: 'qualProject' },
    body: { blinded: 'true' },
  },
  'GET /app/qual/:id/codebook.:ext': {
    allow: { researcher: 'own', therapist: 'own' },
    params: { id: 'qualProject', ext: { value: 'csv' } },
  },
  'GET /app/qual/:id/codes/:code': {
    allow: { researcher: 'own' },
    params: { id: 'qualProject', code: { value: '1A' } },
  },
  'POST /app/qual/:id/codes/:code': {
    allow: { researcher: 'own' },
    params: { id: 'qualProject', code: { value: '1A' } },
    body: { label: '1A', name: 'Thema', colour: '#1f77b4' },
  },
  'POST /app/qual/:id/codes/:code/merge': {
    allow: { researcher: 'own' },
    params: { id: 'qualProject', code: { value: '1A' } },
    body: { into: '1A' },
  },
  'POST /app/qual/:id/codes/:code/split': {
    allow: { researcher: 'own' },
    params: { id: 'qualProject', code: { value: '1A' } },
    body: { label: '1A', name: 'Thema' },
  },
  'GET /app/qual/:id/code': {
    allow: { researcher: 'own', therapist: 'own' },
    params: { id: 'qualProject' },
    query: 'case=P01',
  },
  'POST /app/qual/:id/segments': {
    allow: { researcher: 'own', therapist: 'own' },
    params: { id: 'qualProject' },
    body: { case: 'P01', code: '1A', start: '0', end: '3' },
  },
  'POST /app/qual/:id/segments/delete': {
    allow: { researcher: 'own', therapist: 'own' },
    params: { id: 'qualProject' },
    body: { segment: '00000000-0000-4000-8000-000000000000', case: 'P01' },
  },
  'GET /app/qual/:id/agreement': { allow: { researcher: 'own', therapist: 'own' }, params: { id: 'qualProject' } },
  'GET /app/qual/:id/consensus': { allow: { researcher: 'own' }, params: { id: 'qualProject' } },
  'POST /app/qual/:id/consensus': {
    allow: { researcher: 'own' },
    params: { id: 'qualProject' },
    body: { case: 'P01', code: '1A', start: '0', end: '3', decision: 'reject' },
  },
  'GET /app/qual/:id/table': { allow: { researcher: 'own' }, params: { id: 'qualProject' } },
  'GET /app/qual/:id/explore': { allow: { researcher: 'own' }, params: { id: 'qualProject' }, query: 'q=1A' },
  'GET /app/qual/:id/table.csv': { allow: { researcher: 'own' }, params: { id: 'qualProject' } },
  'GET /app/qual/:id/presence.csv': { allow: { researcher: 'own' }, params: { id: 'qualProject' } },
  'GET /app/qual/:id/presence.sps': { allow: { researcher: 'own' }, params: { id: 'qualProject' } },
  'GET /app/qual/:id/export.qdpx': { allow: { researcher: 'own' }, params: { id: 'qualProject' } },
  'POST /app/qual/:id/member-checks': {
    allow: { researcher: 'own' },
    params: { id: 'qualProject' },
    body: { case: 'P01' },
  },
  'GET /mc/:token': { allow: 'public', params: { token: TOKEN } },
  'POST /mc/:token': { allow: 'public', params: { token: TOKEN }, body: {} },
  'GET /app/research/studies': { allow: { researcher: 'any' } },
  'POST /app/research/studies': {
    allow: { researcher: 'any' },
    body: { title: '', ethics: '', legal: 'consent', retention: 'x', letter: '', consent: '', survey: '' },
  },
  'GET /app/research/studies/:id': { allow: { researcher: 'own' }, params: { id: 'study' } },
  'GET /app/research/studies/:id/paper': { allow: { researcher: 'own' }, params: { id: 'study' } },
  'POST /app/research/studies/:id/paper': {
    allow: { researcher: 'own' },
    params: { id: 'study' },
    body: { paper: 'M1', entry: '1' },
  },
  'GET /app/research/studies/:id/paper/:paper': {
    allow: { researcher: 'own' },
    params: { id: 'study', paper: { value: 'M1' } },
  },
  'POST /app/research/studies/:id/paper/:paper': {
    allow: { researcher: 'own' },
    params: { id: 'study', paper: { value: 'M1' } },
    body: {},
  },
  'POST /app/research/studies/:id/status': {
    allow: { researcher: 'own' },
    params: { id: 'study' },
    body: { status: 'closed' },
  },
  'POST /app/research/studies/:id/links': {
    allow: { researcher: 'own' },
    params: { id: 'study' },
    body: { channel: 'x' },
  },
  'POST /app/research/studies/:id/tokens': {
    allow: { researcher: 'own' },
    params: { id: 'study' },
    body: { channel: 'x', count: '1' },
  },
  'GET /app/research/studies/:id/export.sav': { allow: { researcher: 'own' }, params: { id: 'study' } },
  'GET /app/research/studies/:id/export.csv': { allow: { researcher: 'own' }, params: { id: 'study' } },
  'GET /app/research/studies/:id/export.R': { allow: { researcher: 'own' }, params: { id: 'study' } },
  'GET /app/research/studies/:id/codebook': { allow: { researcher: 'own' }, params: { id: 'study' } },
  'GET /app/research/studies/:id/analyse': { allow: { researcher: 'own' }, params: { id: 'study' } },
  'GET /app/research/studies/:id/codebook.pdf': { allow: { researcher: 'own' }, params: { id: 'study' } },
  'GET /app/research/studies/:id/table.:ext': {
    allow: { researcher: 'own' },
    params: { id: 'study', ext: { value: 'xlsx' } },
  },
  'POST /app/research/studies/:id/invite': { allow: { researcher: 'own' }, params: { id: 'study' } },
  'GET /app/research/studies/:id/redcap.csv': { allow: { researcher: 'own' }, params: { id: 'study' } },
  'POST /app/research/studies/redcap': { allow: { researcher: 'any' }, body: { dictionary: 'a,b' } },
  'GET /app/research/check': { allow: { researcher: 'any' } },
  'POST /app/research/check': { allow: { researcher: 'any' }, body: { input: '{}' } },
  'GET /s/withdraw': { allow: 'public' },
  'POST /s/withdraw': { allow: 'public', body: { code: 'nope' } },
  'GET /s/:token': { allow: 'public', params: { token: TOKEN } },
  'POST /s/:token/screen': { allow: 'public', params: { token: TOKEN }, body: { 'e.0': 'yes' } },
  'POST /s/:token/start': { allow: 'public', params: { token: TOKEN }, body: { consent: 'yes' } },
  'POST /s/:token': { allow: 'public', params: { token: TOKEN }, body: { state: 'x.y' } },
  'GET /m/:token': { allow: 'public', params: { token: TOKEN } },
  'POST /m/:token': { allow: 'public', params: { token: TOKEN }, body: { submission_key: 'abcdefghijklmnopqrstuv' } },
};

type Outcome = 'allowed' | 'unauthenticated' | 'forbidden' | 'not_found';

/** What a response says about the access decision. A 5xx is never acceptable. */
export function classify(res: LightMyRequestResponse): Outcome | 'server_error' {
  if (res.statusCode >= 500) return 'server_error';
  if (res.statusCode === 303 && res.headers.location === '/login') return 'unauthenticated';
  if (res.statusCode === 404) return 'not_found';
  if (res.statusCode === 401 || res.statusCode === 403) {
    const code = (() => {
      try {
        return (res.json() as { error?: { code?: string } }).error?.code;
      } catch {
        return undefined;
      }
    })();
    if (code === 'UNAUTHENTICATED') return 'unauthenticated';
    if (code === 'FORBIDDEN') return 'forbidden';
  }
  return 'allowed';
}

/** Public routes answer as they like (a redirect to /login after logout, 404 for an unknown link), but never with an access denial. */
function classifyPublic(res: LightMyRequestResponse): Outcome | 'server_error' {
  const outcome = classify(res);
  if (outcome === 'server_error') return outcome;
  const code = res.headers['content-type']?.toString().includes('json')
    ? (res.json() as { error?: { code?: string } }).error?.code
    : undefined;
  return code === 'UNAUTHENTICATED' ? 'unauthenticated' : code === 'FORBIDDEN' ? 'forbidden' : 'allowed';
}

function expected(entry: MatrixEntry, caller: Caller, target: Target | null): Outcome {
  if (entry.allow === 'public') return 'allowed';
  if (caller === 'anonymous') return 'unauthenticated';
  const grant = entry.allow[caller];
  if (!grant) return 'forbidden';
  if (target === null || target === 'own') return 'allowed';
  if (target === 'other') return grant === 'any' ? 'allowed' : 'not_found';
  return 'not_found'; // another organisation: never
}

function resourceKinds(entry: MatrixEntry): boolean {
  const inParams = Object.values(entry.params ?? {}).some((p) => typeof p === 'string');
  const inBody = JSON.stringify(entry.body ?? {}).includes('"$');
  return inParams || inBody;
}

/** The URL and body for one call, with world ids filled in for `target`. */
export function materialise(
  world: World,
  url: string,
  entry: MatrixEntry,
  target: Target,
): { url: string; body: unknown } {
  let path = url;
  for (const [name, param] of Object.entries(entry.params ?? {})) {
    path = path.replace(
      `:${name}`,
      typeof param === 'string' ? world.id(param, target) : encodeURIComponent(param.value),
    );
  }
  const body =
    entry.body === undefined
      ? undefined
      : JSON.parse(JSON.stringify(entry.body), (_k, v) =>
          typeof v === 'string' && v.startsWith('$') ? world.id(v.slice(1) as ResourceKind, target) : v,
        );
  return { url: entry.query ? `${path}?${entry.query}` : path, body };
}

function callerUser(world: World, caller: Caller) {
  return caller === 'anonymous' ? null : world.callers[caller];
}

describeEachDialect('access matrix', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let world: World;
  beforeAll(async () => {
    t = await testApp(dialect);
    world = await buildWorld(t.app);
  });
  afterAll(() => t.close());

  const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
  const routes = () => t.app.declaredRoutes.filter((r) => !r.url.startsWith('/docs'));

  it('has an entry for every declared route, and none for routes that do not exist (ASVS 4.1.1)', () => {
    const keys = routes().map(routeKey);
    const missing = keys.filter((k) => !MATRIX[k]);
    expect(missing, `Add these routes to MATRIX in src/server/access-matrix.test.ts (see docs/security.md)`).toEqual(
      [],
    );
    expect(
      Object.keys(MATRIX).filter((k) => !keys.includes(k)),
      'MATRIX entries for routes that no longer exist',
    ).toEqual([]);
  });

  it('agrees with every route’s declared roles (ASVS 4.1.3 least privilege: no role is granted by accident)', () => {
    const disagreements: string[] = [];
    for (const route of routes()) {
      const entry = MATRIX[routeKey(route)];
      if (!entry || !route.access) continue;
      const declared = route.access.kind === 'public' ? 'public' : [...route.access.roles].sort().join(',');
      const stated = entry.allow === 'public' ? 'public' : Object.keys(entry.allow).sort().join(',');
      if (declared !== stated) disagreements.push(`${routeKey(route)}: declared ${declared}, matrix ${stated}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('answers every route × role × resource as the matrix states: 401/403 before validation, 404 for others’ resources (ASVS 4.1.1, 4.1.5, 4.2.1)', async () => {
    const mismatches: string[] = [];
    for (const route of routes()) {
      const entry = MATRIX[routeKey(route)];
      if (!entry) continue;
      const targets: Array<Target | null> = resourceKinds(entry) ? ['own', 'other', 'foreign'] : [null];
      for (const caller of CALLERS) {
        for (const target of targets) {
          const { url, body } = materialise(world, route.url, entry, target ?? 'own');
          const res = await world.request(callerUser(world, caller), route.method, url, {
            body,
            remoteAddress: nextIp(),
          });
          const got = entry.allow === 'public' ? classifyPublic(res) : classify(res);
          const want = expected(entry, caller, target);
          if (got !== want)
            mismatches.push(
              `${routeKey(route)} as ${caller}${target ? ` on ${target}` : ''}: expected ${want}, got ${got} (${res.statusCode} ${res.body.slice(0, 100).replace(/\s+/g, ' ')})`,
            );
        }
      }
    }
    expect(mismatches).toEqual([]);
    // About 2,000 requests: on a loaded 2-core CI host this takes well over the default minute.
  }, 240_000);

  it('never lets a user of one organisation reach another organisation’s records (isolation, both directions)', async () => {
    const crossings: string[] = [];
    const orgBUsers = [world.therapistB, world.adminB];
    for (const route of routes()) {
      const entry = MATRIX[routeKey(route)];
      if (!entry || entry.allow === 'public' || !resourceKinds(entry)) continue;
      const a2b = materialise(world, route.url, entry, 'foreign');
      for (const role of Object.keys(world.callers) as Role[]) {
        const res = await world.request(world.callers[role], route.method, a2b.url, {
          body: a2b.body,
          remoteAddress: nextIp(),
        });
        if (![403, 404].includes(res.statusCode))
          crossings.push(`${routeKey(route)}: ${role} of A on B's record answered ${res.statusCode}`);
      }
      const b2a = materialise(world, route.url, entry, 'own');
      for (const user of orgBUsers) {
        const res = await world.request(user, route.method, b2a.url, { body: b2a.body, remoteAddress: nextIp() });
        if (![403, 404].includes(res.statusCode))
          crossings.push(`${routeKey(route)}: ${user.roles[0]} of B on A's record answered ${res.statusCode}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('refuses state-changing requests without a valid CSRF token (ASVS 4.2.2)', async () => {
    // Client form (/m/), member check (/mc/) and anonymous survey (/s/) posts carry no session: the link token is the credential,
    // so there is no ambient authority for a forged request to ride on.
    const unsafe = routes().filter(
      (r) =>
        !['GET', 'HEAD'].includes(r.method) &&
        MATRIX[routeKey(r)] &&
        !r.url.startsWith('/m/') &&
        !r.url.startsWith('/mc/') &&
        !r.url.startsWith('/s/'),
    );
    const accepted: string[] = [];
    for (const route of unsafe) {
      const entry = MATRIX[routeKey(route)];
      const caller = entry.allow === 'public' ? null : world.callers[Object.keys(entry.allow)[0] as Role];
      const { url, body } = materialise(world, route.url, entry, 'own');
      const { cookies } = await world.as(caller);
      const res = await t.app.inject({
        method: route.method as 'POST',
        url,
        cookies,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': 'forged' },
        payload: JSON.stringify(body ?? {}),
        remoteAddress: nextIp(),
      });
      if (res.statusCode !== 403 || res.json().error.code !== 'CSRF_INVALID')
        accepted.push(`${routeKey(route)} answered ${res.statusCode}`);
    }
    expect(accepted).toEqual([]);
  });
});
