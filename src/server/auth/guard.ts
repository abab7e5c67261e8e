import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { createSession, destroySession, resolveSession } from './sessions.ts';
import { rememberLanguage } from '../../store/users.ts';
import { parseLang } from '../../web/i18n.ts';
import { openFromSession } from '../../store/journal-keys.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable by a staff member who still has to enrol TOTP (the enrolment pages themselves). */
    duringTotpEnrolment?: boolean;
  }
  interface FastifyRequest {
    /** The organisation requires TOTP for this staff member's role and they have not enrolled yet. */
    mustEnrolTotp: boolean;
    /** The session's sealed journal data key (decision 0035); opened by server/journal-key.ts. */
    sealedJournalKey: string | null;
  }
}

export const TOTP_ENROLMENT_PATH = '/app/account/totp';

/** `__Host-` cookies are bound to this origin, but browsers accept them only over https. */
export function sessionCookieName(config: Config): string {
  return config.secureCookies ? '__Host-spiegel_session' : 'spiegel_session';
}

export function setSessionCookie(app: FastifyInstance, reply: FastifyReply, token: string): void {
  reply.setCookie(sessionCookieName(app.ctx.config), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: app.ctx.config.secureCookies,
  });
}

/**
 * The journal data key of the signed-in staff member (decision 0035): unwrapped at login, kept in the
 * session row sealed under a key derived from the cookie token, opened here per request. Null when the
 * session has none (a session from before the upgrade).
 */
export function sessionJournalKey(app: FastifyInstance, request: FastifyRequest): Buffer | null {
  const token = request.cookies[sessionCookieName(app.ctx.config)];
  if (!token || !request.staff || !request.sealedJournalKey) return null;
  return openFromSession(token, request.staff.sessionId, request.sealedJournalKey);
}

/** Replaces the caller's session with a fresh token (after a privilege or credential change, ASVS 3.2.1). */
export async function rotateSession(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const staff = request.staff!;
  // The journal key moves to the new session: the new token seals it.
  const journalKey = sessionJournalKey(app, request);
  await destroySession(app.ctx.store.db, staff.sessionId);
  setSessionCookie(
    app,
    reply,
    await createSession(app.ctx.store.db, { id: staff.userId, org_id: staff.orgId }, journalKey),
  );
}

/**
 * Resolves `request.staff` from the session cookie on every request, and holds staff who must enrol
 * TOTP at the enrolment page: every staff route except those marked `duringTotpEnrolment` answers
 * with a redirect (pages) or TOTP_ENROLMENT_REQUIRED (API) until they have.
 */
export function registerSessionResolution(app: FastifyInstance): void {
  app.decorateRequest('staff', null);
  app.decorateRequest('mustEnrolTotp', false);
  app.decorateRequest('sealedJournalKey', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[sessionCookieName(app.ctx.config)];
    const identity = token ? await resolveSession(app.ctx.store.db, token) : null;
    request.staff = identity;
    request.mustEnrolTotp = identity?.mustEnrolTotp ?? false;
    request.sealedJournalKey = identity?.journalKey ?? null;
    // The language switch (?lang=) of a signed-in staff member is remembered for mail sent to them.
    const chosen = parseLang((request.query as Record<string, unknown> | undefined)?.lang);
    if (identity && chosen) await rememberLanguage(app.ctx.store.db, identity.userId, chosen);
  });
  app.addHook('preValidation', async (request, reply) => {
    if (!request.staff || !request.mustEnrolTotp) return;
    const config = request.routeOptions.config;
    if (!config.access || config.access.kind === 'public' || config.duringTotpEnrolment) return;
    if (!request.url.startsWith('/api/') && request.method === 'GET') return reply.redirect(TOTP_ENROLMENT_PATH, 303);
    throw new SpiegelError('TOTP_ENROLMENT_REQUIRED');
  });
}
