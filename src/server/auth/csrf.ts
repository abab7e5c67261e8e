import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';

/** The CSRF secret cookie: `__Host-` prefixed (Secure, Path=/, no Domain) when cookies are secure. */
export function csrfCookieName(config: Pick<Config, 'secureCookies'>): string {
  return config.secureCookies ? '__Host-csrf' : '_csrf';
}

/**
 * What a CSRF token is bound to besides the cookie secret: the staff session (its id is the hash of
 * the session token), or "anonymous" before login. A token minted in one session fails in another.
 * The login form is always anonymous: logging in replaces whatever session the browser still has.
 */
export function csrfBinding(request: FastifyRequest): string {
  if (!request.staff || request.routeOptions.url === '/login') return 'anonymous';
  return `session:${request.staff.sessionId}`;
}
