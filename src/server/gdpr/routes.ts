import { Answer, responses } from '../api-schemas.ts';
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { appendAudit } from '../../store/audit.ts';
import { eraseClient, loadClientExport, type ClientScope, scrubAfterErasure } from '../../store/gdpr.ts';
import type { Role } from '../../store/schema.ts';
import { html } from '../../web/html.ts';
import { isFormPost, sendPage } from '../pages.ts';
import { clientBundle, type DefinitionLookup } from '../../domain/gdpr/fhir.ts';
import { instrumentsFor } from '../org-instrument-registry.ts';
import { exportPage } from './page.ts';
import { gdprTexts } from './texts.ts';

// GDPR routes. Export (access, portability) is for the treating therapist only: it is clinical
// content, which the admin may not see. Erasure is for the treating therapist and for the admin (who
// handles requests that reach the organisation); the admin finds the client by code, sees counts
// only, and confirms by typing the code. See docs/security.md.

export const CLIENT_PARAMS = {
  type: 'object',
  required: ['clientId'],
  properties: { clientId: { type: 'string', format: 'uuid' } },
} as const;
const THERAPIST_OWN = { access: { kind: 'own' as const, roles: ['therapist' as Role], resource: 'client' } };
const ERASERS = { access: { kind: 'own' as const, roles: ['therapist', 'admin'] as Role[], resource: 'client' } };

function actorOf(request: FastifyRequest) {
  const staff = request.staff!;
  return { orgId: staff.orgId, actorId: staff.userId, actorRole: staff.roles.join(','), ip: request.ip };
}

/** A therapist sees their own clients; with the admin role the whole organisation (erasure only). */
function scopeFor(request: FastifyRequest, clientId: string, adminAllowed: boolean): ClientScope {
  const staff = request.staff!;
  const orgWide = adminAllowed && staff.roles.includes('admin');
  return { orgId: staff.orgId, clientId, therapistId: orgWide ? null : staff.userId };
}

export function registerGdprRoutes(app: FastifyInstance): void {
  const db = () => app.ctx.store.db;

  async function exportFor(request: FastifyRequest<{ Params: { clientId: string } }>, format: 'fhir' | 'html') {
    return db()
      .transaction()
      .execute(async (trx) => {
        const data = await loadClientExport(trx, scopeFor(request, request.params.clientId, false));
        if (!data) throw new SpiegelError('NOT_FOUND');
        await appendAudit(trx, {
          ...actorOf(request),
          action: 'gdpr.export',
          subjectType: 'client',
          subjectId: data.client.id,
          outcome: 'ok',
          details: { format, responses: data.responses.length },
        });
        return data;
      });
  }

  app.get<{ Params: { clientId: string } }>(
    '/api/gdpr/clients/:clientId/bundle',
    {
      schema: {
        tags: ['gdpr'],
        summary: "A client's data as a FHIR R4 Bundle (treating therapist)",
        response: responses({
          200: Answer('A FHIR R4 Bundle (application/fhir+json), offered as a download', {
            resourceType: Type.Literal('Bundle'),
          }),
        }),
        params: CLIENT_PARAMS,
      },
      config: THERAPIST_OWN,
    },
    async (request, reply) => {
      const data = await exportFor(request, 'fhir');
      const registry = await instrumentsFor(app.ctx, request.staff!.orgId);
      // The exact text each response answered, for its item codes and canonical url|version.
      const definitionOf: DefinitionLookup = (id, version) => {
        if (!registry.has(id)) return null;
        const scorer = registry.atVersion(id, version);
        return { questionnaire: scorer.questionnaire, spec: scorer.spec };
      };
      return reply
        .type('application/fhir+json; charset=utf-8')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          `attachment; filename="spiegel-client-${data.client.code.replace(/[^A-Za-z0-9_-]/g, '_')}.json"`,
        )
        .send(JSON.stringify(clientBundle(data, definitionOf), null, 2));
    },
  );

  app.get<{ Params: { clientId: string } }>(
    '/app/gdpr/clients/:clientId',
    { schema: { hide: true, params: CLIENT_PARAMS }, config: THERAPIST_OWN },
    async (request, reply) => {
      const data = await exportFor(request, 'html');
      return sendPage(request, reply, {
        title: gdprTexts(request.lang, 'export.title', { code: data.client.code }),
        body: exportPage(request.lang, data, reply.generateCsrf()),
        path: `/app/gdpr/clients/${data.client.id}`,
      });
    },
  );

  app.post<{ Params: { clientId: string }; Body: { confirmCode: string } }>(
    '/api/gdpr/clients/:clientId/erase',
    {
      schema: {
        tags: ['gdpr'],
        summary: "Erase all of a client's data (treating therapist or admin); confirm with the client code",
        response: responses(
          { 200: Answer('The client is erased; counts of the deleted rows', { erased: Type.Boolean() }) },
          [409, 422],
        ),
        params: CLIENT_PARAMS,
        body: {
          type: 'object',
          required: ['confirmCode'],
          properties: { confirmCode: { type: 'string', minLength: 1, maxLength: 200 }, _csrf: { type: 'string' } },
        },
      },
      config: ERASERS,
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      const scope = scopeFor(request, request.params.clientId, true);
      const lang = request.lang;
      const result = await db()
        .transaction()
        .execute(async (trx) => {
          const client = await trx
            .selectFrom('clients')
            .select(['id', 'code', 'therapist_id'])
            .where('org_id', '=', scope.orgId)
            .where('id', '=', scope.clientId)
            .executeTakeFirst();
          // Ownership first (404 reveals nothing), then the confirmation.
          if (!client || (scope.therapistId && client.therapist_id !== scope.therapistId))
            throw new SpiegelError('NOT_FOUND');
          if (client.code !== request.body.confirmCode.trim()) {
            await appendAudit(trx, {
              ...actorOf(request),
              action: 'gdpr.erase',
              subjectType: 'client',
              subjectId: client.id,
              outcome: 'denied',
              details: { reason: 'confirmation' },
            });
            return { code: client.code, counts: null };
          }
          return { code: client.code, counts: await eraseClient(trx, scope, actorOf(request), 'request') };
        });
      if (result.counts) await scrubAfterErasure(app.ctx.store);
      if (!result.counts) {
        if (!isFormPost(request)) throw new SpiegelError('CONFIRMATION_MISMATCH');
        const body = html`<div class="card">
          <p class="error" role="alert">${gdprTexts(lang, 'erase.mismatch')}</p>
          <p><a href="/app">Spiegel</a></p>
        </div>`;
        return sendPage(request, reply, { status: 422, title: gdprTexts(lang, 'erase.title'), body, path: '/app' });
      }
      if (!isFormPost(request)) return reply.send({ erased: true, counts: result.counts });
      const body = html`<div class="card">
        <p class="notice" role="status">${gdprTexts(lang, 'erase.done', { code: result.code })}</p>
        <p><a href="/app">Spiegel</a></p>
      </div>`;
      return sendPage(request, reply, { title: gdprTexts(lang, 'erase.title'), body, path: '/app' });
    },
  );
}
