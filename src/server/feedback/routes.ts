import { ListAnswer, NoContent, responses } from '../api-schemas.ts';
import { displayTitle } from '../../domain/instruments/index.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendPage } from '../pages.ts';
import { caseload, episodeTimeline, acknowledgeAlert, acknowledgeAlerts, statusOf } from '../../store/feedback.ts';
import type { Actor } from '../../store/clients.ts';
import { getEpisode } from '../../store/episodes.ts';
import { latestCurve } from '../../store/submit-alerts.ts';
import { listInvitations } from '../../store/invitations.ts';
import { listSends, messagingSettings } from '../../store/sends.ts';
import type { ExpectedCurve } from '../../domain/feedback/expected.ts';
import { STATUS_PRIORITY } from '../../domain/feedback/status.ts';
import { caseloadBody, type CaseloadQuery } from './caseload-page.ts';
import { buildEpisodeView } from './episode-view.ts';
import { episodeBody, type EpisodePageInput } from './episode-page.ts';
import { episodePdfDefinition } from './episode-pdf.ts';
import { renderPdf } from '../../web/pdf.ts';
import { fbText } from './texts.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { instrumentsFor } from '../org-instrument-registry.ts';

const uuid = { type: 'string', format: 'uuid' } as const;
const own = (resource: string) => ({ access: { kind: 'own' as const, roles: ['therapist' as const], resource } });

function actor(request: FastifyRequest): Actor {
  return { staff: request.staff!, ip: request.ip };
}

/** Caseload and episode pages, alert acknowledgement. */
export function registerFeedbackRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  // Each organisation sees the shipped library with its own imports and translations on top.
  const registryOf = (request: FastifyRequest) => instrumentsFor(app.ctx, request.staff!.orgId);

  async function episodeInput(
    request: FastifyRequest,
    reply: FastifyReply,
    episodeId: string,
  ): Promise<EpisodePageInput> {
    const registry = await registryOf(request);
    const episode = await getEpisode(db, actor(request), episodeId);
    const timeline = await episodeTimeline(db, actor(request), episodeId);
    const curves = new Map<string, ExpectedCurve | null>();
    for (const id of new Set(timeline.points.map((p) => p.instrument_id)))
      curves.set(id, await latestCurve(db, request.staff!.orgId, id));
    const view = buildEpisodeView(timeline.points, timeline.alerts, episode.participants, registry, curves);
    const status = statusOf(
      timeline.points.map((p) => ({ ...p, episode_id: episodeId, measured_ms: new Date(p.measured_at).getTime() })),
      registry,
      curves,
    );
    const [invitations, sends, org] = await Promise.all([
      listInvitations(db, actor(request), episodeId),
      listSends(db, request.staff!.orgId, episodeId),
      db
        .selectFrom('organisations')
        .select('settings')
        .where('id', '=', request.staff!.orgId)
        .executeTakeFirstOrThrow(),
    ]);
    const query = request.query as Record<string, string | undefined>;
    return {
      lang: request.lang,
      csrfToken: reply.generateCsrf(),
      manage: {
        lang: request.lang,
        csrfToken: reply.generateCsrf(),
        episode,
        invitations,
        sends,
        messaging: messagingSettings(org.settings),
        instrumentTitle: (id) =>
          registry.has(id)
            ? displayTitle(registry.get(id).questionnaire, registry.get(id).spec, request.lang)
            : { text: id, lang: request.lang },
        flash: { queued: Number(query.queued) || undefined, error: query.error },
      },
      alertProblem: query.alerts ?? null,
      episode,
      status,
      outcomes: view.outcomes,
      alliance: view.alliance,
      alerts: timeline.alerts,
      latestResponses: timeline.latestResponses,
      registry,
    };
  }

  async function renderEpisode(request: FastifyRequest, reply: FastifyReply, episodeId: string) {
    const input = await episodeInput(request, reply, episodeId);
    return sendPage(request, reply, {
      title: fbText(request.lang, 'episode.title', { code: input.episode.client_code }),
      body: episodeBody(input),
      path: `/app/episodes/${episodeId}`,
    });
  }

  app.get<{ Params: { episodeId: string } }>(
    '/app/episodes/:episodeId/report.pdf',
    { config: own('episode'), schema: { hide: true, params: { type: 'object', properties: { episodeId: uuid } } } },
    async (request, reply) => {
      const input = await episodeInput(request, reply, request.params.episodeId);
      const pdf = await renderPdf(episodePdfDefinition(input));
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="episode-${input.episode.client_code}.pdf"`)
        .send(pdf);
    },
  );

  app.get<{ Querystring: CaseloadQuery }>(
    '/app/caseload',
    {
      config: { access: { kind: 'staff', roles: ['therapist'] } },
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', maxLength: 40 },
            status: { type: 'string', enum: ['', ...STATUS_PRIORITY] },
            sort: { type: 'string', enum: ['status', 'code', 'last', 'alerts'] },
            lang: { type: 'string' },
          },
        },
      },
    },
    async (request, reply) => {
      const rows = await caseload(db, actor(request), await registryOf(request));
      return sendPage(request, reply, {
        title: fbText(request.lang, 'caseload.title'),
        body: caseloadBody(request.lang, rows, request.query),
        path: '/app/caseload',
      });
    },
  );

  app.get(
    '/api/caseload',
    {
      config: { access: { kind: 'staff', roles: ['therapist'] } },
      schema: {
        tags: ['feedback'],
        summary: 'The caller’s active episodes with status, measurements, alerts and invitations',
        response: responses({
          200: ListAnswer(
            'The caller’s active episodes',
            'episodes',
            'an episode with status, measurements, alerts and invitations',
          ),
        }),
      },
    },
    async (request) => ({ episodes: await caseload(db, actor(request), await registryOf(request)) }),
  );

  app.get<{ Params: { episodeId: string } }>(
    '/app/episodes/:episodeId',
    {
      config: own('episode'),
      schema: {
        hide: true,
        params: { type: 'object', properties: { episodeId: uuid } },
        querystring: {
          type: 'object',
          properties: {
            queued: { type: 'string', maxLength: 3 },
            error: { type: 'string', maxLength: 20 },
            alerts: { type: 'string', maxLength: 10 },
            revoked: { type: 'string', maxLength: 1 },
            lang: { type: 'string' },
          },
        },
      },
    },
    async (request, reply) => renderEpisode(request, reply, request.params.episodeId),
  );

  app.post<{ Body: Record<string, string | string[]> }>(
    '/app/alerts/acknowledge',
    {
      config: { access: { kind: 'own', roles: ['therapist'], resource: 'alert' } },
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        body: {
          type: 'object',
          properties: {
            alertId: { anyOf: [uuid, { type: 'array', maxItems: 200, items: uuid }] },
            note: { type: 'string', maxLength: 2000 },
            back: uuid,
            _csrf: { type: 'string' },
          },
        },
      },
    },
    async (request, reply) => {
      const raw = request.body.alertId ?? [];
      const ids = Array.isArray(raw) ? raw : [raw];
      const note = String(request.body.note ?? '').trim();
      const back = String(request.body.back ?? '');
      const problem = ids.length === 0 ? 'none' : note ? null : 'note';
      if (!problem) await acknowledgeAlerts(db, actor(request), ids, note);
      return reply.redirect(`/app/episodes/${back}${problem ? `?alerts=${problem}` : ''}#alerts-h`, 303);
    },
  );

  app.post<{ Params: { alertId: string }; Body: { note: string } }>(
    '/app/alerts/:alertId/acknowledge',
    {
      config: own('alert'),
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: { type: 'object', properties: { alertId: uuid } },
        body: {
          type: 'object',
          required: ['note'],
          properties: { note: { type: 'string', minLength: 1, maxLength: 2000 }, _csrf: { type: 'string' } },
        },
      },
    },
    async (request, reply) => {
      await acknowledgeAlert(db, actor(request), request.params.alertId, request.body.note.trim());
      const back = await db
        .selectFrom('alerts')
        .select('episode_id')
        .where('id', '=', request.params.alertId)
        .executeTakeFirst();
      if (!back) throw new SpiegelError('NOT_FOUND');
      return reply.redirect(`/app/episodes/${back.episode_id}#alerts-h`, 303);
    },
  );

  app.post<{ Params: { alertId: string }; Body: { note: string } }>(
    '/api/alerts/:alertId/acknowledge',
    {
      config: own('alert'),
      preValidation: app.csrfProtection,
      schema: {
        tags: ['feedback'],
        summary: 'Acknowledge an alert with a note',
        response: responses({ 204: NoContent }, [409]),
        params: { type: 'object', required: ['alertId'], properties: { alertId: uuid } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['note'],
          properties: { note: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
      },
    },
    async (request, reply) => {
      await acknowledgeAlert(db, actor(request), request.params.alertId, request.body.note.trim());
      return reply.code(204).send();
    },
  );
}
