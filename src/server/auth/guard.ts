import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { resolveSession } from './sessions.ts';

/** `__Host-` cookies are bound to this origin, but browsers accept them only over https. */
export function sessionCookieName(config: Config): string {
  return config.secureCookies ? '__Host-spiegel_session' : 'spiegel_session';
}

/** Resolves `request.staff` from the session cookie on every request. */
export function registerSessionResolution(app: FastifyInstance): void {
  app.decorateRequest('staff', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[sessionCookieName(app.ctx.config)];
    request.staff = token ? await resolveSession(app.ctx.store.db, token) : null;
  });
}

