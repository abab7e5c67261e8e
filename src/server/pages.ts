import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SafeHtml } from '../web/html.ts';
import { page } from '../web/layout.ts';

/** A section's own layout around its pages' bodies (e.g. the reflection area's sub-navigation). */
export type Layout = (body: SafeHtml) => SafeHtml;

/**
 * The one way to send a server-rendered page: the shared layout (with the navigation when someone is
 * logged in), an optional section layout nested inside it, never cached. `path` (default: the request's
 * URL) drives the language switch and the navigation's current item.
 */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { title: string; body: SafeHtml; path?: string; status?: number; scripts?: string[]; layout?: Layout },
): FastifyReply {
  const staff = request.staff;
  return reply
    .code(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      page({
        lang: request.lang,
        title: options.title,
        body: options.layout ? options.layout(options.body) : options.body,
        user: staff ? { displayName: staff.displayName, roles: staff.roles } : null,
        csrfToken: reply.generateCsrf(),
        path: options.path ?? request.url,
        scripts: options.scripts,
      }),
    );
}

/** True when the caller is a browser form (so answer with a page or redirect, not JSON). */
export function isFormPost(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

/**
 * True when a browser asked, so errors and missing logins answer with a page: outside /api/, a form post
 * or a request whose Accept header prefers text/html over JSON.
 */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return false;
  const accept = request.headers.accept ?? '';
  // A browser submitting a form always sends an Accept header; a form post without one is a script.
  if (isFormPost(request) && (accept === '' || accept === '*/*')) return false;
  if (isFormPost(request)) return true;
  const htmlAt = accept.indexOf('text/html');
  const jsonAt = accept.indexOf('application/json');
  return htmlAt >= 0 && (jsonAt < 0 || htmlAt < jsonAt);
}
