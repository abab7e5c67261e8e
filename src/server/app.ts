import { orgInstrumentSource } from './org-instrument-registry.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppContext } from './context.ts';
import { registerErrorHandling } from './errors.ts';
import { registerHealthRoutes } from './health.ts';
import { registerStaticRoutes } from './static.ts';
import { registerSessionResolution } from './auth/guard.ts';
import { registerLoginRoutes } from './auth/login.ts';
import { registerStaffShell } from './staff/shell.ts';
import { parseLang } from '../web/i18n.ts';
import { routeModules } from './routes.ts';
import { registerAccessControl } from './access.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';
import { appKeyring } from './keyring.ts';
import { csrfBinding, csrfCookieName } from './auth/csrf.ts';
import { createHmac } from 'node:crypto';
import { lazySerializers, lazyValidators } from './lazy-compilers.ts';

export interface BuildOptions {
  /** pino options or false; tests pass false. */
  logger?: boolean | object;
}

/** Builds the Fastify app with every plugin and route. Does not listen. */
export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 256 * 1024,
    // Behind a proxy, request.ip (rate limits, staff audit rows) must be the client's, not the proxy's.
    trustProxy: (ctx.config.trustProxy ?? false) as boolean,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    schemaController: { compilersFactory: { buildValidator: lazyValidators(), buildSerializer: lazySerializers() } },
  });
  ctx.orgInstruments ??= orgInstrumentSource(ctx.store.db, ctx.instruments);
  app.decorate('ctx', ctx);
  registerErrorHandling(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: ctx.config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(compress, { global: true, threshold: 512, encodings: ['br', 'gzip'] });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  // The CSRF secret lives in the browser's cookie (`__Host-csrf` over https), so any instance checks
  // it; each token is also bound to the staff session (an HMAC over the session id under a key
  // derived from the journal key), so a token from another session or from before login is refused.
  await app.register(csrf, {
    cookieKey: csrfCookieName(ctx.config),
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: ctx.config.secureCookies },
    csrfOpts: { hmacKey: createHmac('sha256', appKeyring(app).current.key).update('spiegel-csrf-v1').digest() },
    getUserInfo: csrfBinding,
    getToken: (request) => {
      const body = request.body as Record<string, unknown> | undefined;
      const header = request.headers['x-csrf-token'];
      return (
        (typeof header === 'string' ? header : undefined) ?? (typeof body?._csrf === 'string' ? body._csrf : undefined)
      );
    },
  });
  // On a first visit there is no CSRF secret cookie yet, and every generateCsrf() call in the same
  // request would mint a new secret, so a page with several forms (or a layout token) would carry a
  // token for a secret the browser never keeps. One token per request avoids that.
  app.addHook('onRequest', async (request, reply) => {
    const mint = reply.generateCsrf.bind(reply);
    let token: string | undefined;
    reply.generateCsrf = (options) => (token ??= mint({ ...options, userInfo: csrfBinding(request) }));
  });
  // Counters in the database: a limit holds across app instances (rate-limit-store.ts).
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(app) });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Spiegel API',
        version: '0.1.0',
        description: 'Session feedback, reflection and therapist-effect analytics.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'spiegel_session', description: 'Set by POST /login.' },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'x-csrf-token',
            description: 'Every POST, PATCH and DELETE; the token is in the page’s meta csrf-token.',
          },
        },
      },
      security: [{ session: [], csrf: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.decorateRequest('lang', 'nl');
  app.addHook('onRequest', async (request, reply) => {
    const fromQuery = parseLang((request.query as Record<string, unknown> | undefined)?.lang);
    if (fromQuery) reply.setCookie('lang', fromQuery, { path: '/', sameSite: 'lax', secure: ctx.config.secureCookies });
    request.lang = fromQuery ?? parseLang(request.cookies.lang) ?? 'nl';
  });
  registerSessionResolution(app);
  const declaredRoutes = registerAccessControl(app);
  app.decorate('declaredRoutes', declaredRoutes);

  registerHealthRoutes(app);
  registerStaticRoutes(app);
  registerLoginRoutes(app);
  registerStaffShell(app);
  for (const register of routeModules) await register(app);
  return app;
}
