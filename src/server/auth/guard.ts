import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { SpiegelError } from '../../domain/errors.ts';
import type { Role } from '../../store/schema.ts';
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

function wantsHtml(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
}

/** A preHandler that requires a logged-in staff member holding one of `roles` (any role when empty). */
export function requireStaff(...roles: Role[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!request.staff) {
      if (wantsHtml(request)) return reply.redirect('/login', 303);
      throw new SpiegelError('UNAUTHENTICATED');
    }
    if (roles.length > 0 && !roles.some((role) => request.staff!.roles.includes(role))) {
      throw new SpiegelError('FORBIDDEN');
    }
  };
}
