import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { SpiegelError } from '../domain/errors.ts';
import { audit } from '../store/audit.ts';
import { wantsHtml } from './pages.ts';
import type { Role } from '../store/schema.ts';

/**
 * Every route declares who may call it, in `config.access`. A global hook enforces the role part;
 * ownership (is this the caller's client, was this shared with this supervisor) is enforced by the
 * route's own org- and owner-scoped queries, which answer 404 for other people's resources so that
 * existence is not revealed. The access-matrix test reads these declarations; a route without one
 * fails the build.
 */
export type Access =
  /** Anyone, without login: health, login, static assets, the client form (its token is the key). */
  | { kind: 'public' }
  /** Any logged-in staff member holding one of `roles`; no per-resource ownership. */
  | { kind: 'staff'; roles: Role[] }
  /** Staff holding one of `roles`, and the addressed resource must be their own. */
  | { kind: 'own'; roles: Role[]; resource: string }
  /** A supervisor, for items explicitly shared with them. */
  | { kind: 'shared'; roles: Role[]; resource: string }
  /** Aggregates only, with the minimum group size enforced by the route. */
  | { kind: 'aggregate'; roles: Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export interface DeclaredRoute {
  method: string;
  url: string;
  access: Access | undefined;
  /** The route's JSON schemas (the fuzz test builds well-typed hostile input from them). */
  schema?: FastifySchema;
}

/** Collects declared routes and enforces the role part of each declaration. */
export const ALL_ROLES: Role[] = ['admin', 'therapist', 'supervisor', 'manager', 'researcher'];

export function registerAccessControl(app: FastifyInstance): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push({
        method,
        url: route.url,
        access: (route.config as { access?: Access } | undefined)?.access,
        schema: route.schema,
      });
    }
  });
  // preValidation: runs before body validation, so a caller without access learns nothing from a 400.
  app.addHook('preValidation', async (request, reply) => {
    const access = request.routeOptions.config.access;
    // Default deny: only plugin-owned documentation routes may go undeclared.
    if (!access) {
      if (request.routeOptions.url?.startsWith('/docs') || request.is404) return;
      throw new SpiegelError('FORBIDDEN');
    }
    if (access.kind === 'public') return rejectNul(request);
    if (!request.staff) {
      if (wantsHtml(request)) return reply.redirect('/login', 303);
      throw new SpiegelError('UNAUTHENTICATED');
    }
    if (!access.roles.some((role) => request.staff!.roles.includes(role))) {
      // ASVS 7.2.2: failed access-control decisions of logged-in staff are audited.
      const staff = request.staff;
      await audit(app.ctx.store.db, {
        orgId: staff.orgId,
        actorId: staff.userId,
        actorRole: staff.roles.join(','),
        action: 'access.denied',
        ip: request.ip,
        outcome: 'denied',
        details: { method: request.method, route: request.routeOptions.url ?? null },
      });
      throw new SpiegelError('FORBIDDEN');
    }
    rejectNul(request);
  });
  return routes;
}

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  for (const [key, item] of Object.entries(value)) if (key.includes('\u0000') || hasNul(item, depth + 1)) return true;
  return false;
}

/** PostgreSQL text cannot hold NUL: refuse it in any input up front (after the access decision). */
function rejectNul(request: FastifyRequest): void {
  if (hasNul(request.params) || hasNul(request.query) || hasNul(request.body)) {
    throw new SpiegelError('VALIDATION_FAILED', 'The request contains a NUL character.');
  }
}
