import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorRegistry, isSpiegelError, SpiegelError, type ErrorCode } from '../domain/errors.ts';
import { html } from '../web/html.ts';
import { errorText } from '../web/error-texts.ts';
import { t, type TextKey } from '../web/i18n.ts';
import { sendPage, wantsHtml } from './pages.ts';
import { isConnectionLost } from '../store/connection.ts';
import { uniqueViolation } from '../store/conflicts.ts';

const PAGE_TEXTS: Record<number, TextKey> = {
  400: 'error.400',
  403: 'error.403',
  404: 'error.notFound',
  409: 'error.409',
  429: 'error.429',
  500: 'error.500',
};

/** Browsers get a page in their language through the one page renderer; API clients get the JSON error. */
function send(request: FastifyRequest, reply: FastifyReply, error: SpiegelError): FastifyReply {
  if (error.status === 503) reply.header('retry-after', '1');
  if (wantsHtml(request)) {
    const status = error.status;
    const lang = request.lang;
    // The common statuses get one page text; the others (401, 413, 423, 503, ...) say what their code means.
    const key = PAGE_TEXTS[status];
    const message = key
      ? t(lang, key)
      : status >= 500 && status !== 503
        ? t(lang, 'error.500')
        : errorText(lang, error.code);
    const login = error.code === 'JOURNAL_KEY_MISSING' || error.code === 'UNAUTHENTICATED';
    try {
      return sendPage(request, reply, {
        title: t(lang, 'error.title'),
        path: request.url.split('?')[0],
        status,
        body: html`<h1>${t(lang, 'error.title')}</h1>
          <p>${message}</p>
          <p class="muted">${t(lang, 'error.code', { code: error.code })}</p>
          <p>
            ${login ? html`<a href="/login">${t(lang, 'login.submit')}</a> · ` : null}<a href="/">${t(lang, 'error.back')}</a>
          </p>`,
      });
    } catch (pageError) {
      request.log.error({ err: pageError }, 'error page failed; answering with JSON');
    }
  }
  return reply.code(error.status).type('application/json; charset=utf-8').send(error.toJSON());
}

/** Maps Fastify's own error codes to the registry, so every client sees the same error shape. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_CSRF_INVALID_TOKEN: 'CSRF_INVALID',
  FST_CSRF_MISSING_SECRET: 'CSRF_INVALID',
};

export function toSpiegelError(error: unknown): SpiegelError {
  if (isSpiegelError(error)) return error;
  // A lost connection or a statement cancelled by the server's timeout is the database's state, not a
  // bug: the client may retry. The pool has already dropped the broken connection.
  if (isConnectionLost(error))
    return new SpiegelError('DATABASE_UNAVAILABLE', 'The database connection was lost; try again.');
  if ((error as { code?: unknown }).code === '57014')
    return new SpiegelError('DATABASE_UNAVAILABLE', 'The database did not answer in time; try again.');
  const conflict = uniqueViolation(error);
  if (conflict) return conflict;
  const fastifyError = error as FastifyError & {
    validation?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }>;
    validationContext?: string;
  };
  if (fastifyError.validation) {
    const fields = fastifyError.validation.map((v) => {
      const missing = v.params && 'missingProperty' in v.params ? `/${String(v.params.missingProperty)}` : '';
      const path = `${fastifyError.validationContext ?? 'body'}${v.instancePath}${missing}`.replace(/\//g, '.');
      return { field: path, message: v.message ?? 'is not valid' };
    });
    const first = fields[0];
    return new SpiegelError(
      'VALIDATION_FAILED',
      first ? `${first.field} ${first.message}.` : errorRegistry.VALIDATION_FAILED.message,
      { fields },
    );
  }
  if (fastifyError.statusCode === 429) return new SpiegelError('RATE_LIMITED');
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return new SpiegelError(mapped);
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new SpiegelError('VALIDATION_FAILED', fastifyError.message);
  }
  return new SpiegelError('INTERNAL');
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request: FastifyRequest, reply) => {
    const mapped = toSpiegelError(error);
    // Unexpected errors are logged with their stack on the server, never sent to the client.
    if (mapped.code === 'INTERNAL') request.log.error({ err: error }, 'unexpected error');
    else request.log.info({ code: mapped.code }, mapped.message);
    return send(request, reply, mapped);
  });
  app.setNotFoundHandler((request, reply) =>
    send(request, reply, new SpiegelError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
