import { Answer, responses } from '../api-schemas.ts';
import { Type } from 'typebox';
import { displayTitle } from '../../domain/instruments/index.ts';
import type { Lang } from '../../web/i18n.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendPage } from '../pages.ts';
import { audit } from '../../store/audit.ts';
import { latestEffects } from '../../store/analytics/therapist-effects.ts';
import { effectHistogram, MIN_EPISODES_PER_THERAPIST, reportAllowed } from '../../domain/feedback/effects.ts';
import { enqueueRefit } from '../jobs.ts';
import { PRIMARY_OUTCOME } from '../../domain/feedback/effects.ts';
import { mirrorBody, organisationBody } from './pages.ts';
import { efText } from './texts.ts';
import { measuredEffectivenessFor } from './measured.ts';
import { setMeasuredEffectivenessProvider } from '../reflection/index.ts';

function auditRead(app: FastifyInstance, request: FastifyRequest, action: string) {
  const s = request.staff!;
  return audit(app.ctx.store.db, {
    orgId: s.orgId,
    actorId: s.userId,
    actorRole: s.roles.join(','),
    action,
    subjectType: 'analysis',
    subjectId: PRIMARY_OUTCOME.instrumentId,
    ip: request.ip,
    outcome: 'ok',
  });
}

/**
 * The effectiveness mirror (a therapist sees only their own estimate, against an unlabelled
 * distribution) and the organisation report (managers: aggregates only, with a minimum group size).
 * No route returns another therapist's estimate or identity.
 */
export function registerEffectivenessRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  // The self-check's professional self-view sets the measured percentile beside the self-rating.
  setMeasuredEffectivenessProvider((database, actor) => measuredEffectivenessFor(database, actor));
  const title = (lang: Lang) => {
    const { instruments } = app.ctx;
    if (!instruments.has(PRIMARY_OUTCOME.instrumentId)) return PRIMARY_OUTCOME.instrumentId;
    const scorer = instruments.get(PRIMARY_OUTCOME.instrumentId);
    return displayTitle(scorer.questionnaire, scorer.spec, lang).text;
  };

  app.get(
    '/app/effectiveness',
    { config: { access: { kind: 'staff', roles: ['therapist'] } }, schema: { hide: true } },
    async (request, reply) => {
      const summary = await latestEffects(db, request.staff!.orgId, PRIMARY_OUTCOME.instrumentId);
      await auditRead(app, request, 'effectiveness.mirror.read');
      return sendPage(request, reply, {
        title: efText(request.lang, 'mirror.title'),
        body: mirrorBody(request.lang, summary, request.staff!.userId, title(request.lang)),
        path: '/app/effectiveness',
      });
    },
  );

  app.get(
    '/api/effectiveness/me',
    {
      config: { access: { kind: 'staff', roles: ['therapist'] } },
      schema: {
        tags: ['effectiveness'],
        summary: 'The caller’s own case-mix-adjusted estimate, with the unlabelled organisation distribution',
        response: responses({
          200: Answer('The own estimate when available (`available: false` before the first fit)', {
            available: Type.Boolean(),
          }),
        }),
      },
    },
    async (request) => {
      const summary = await latestEffects(db, request.staff!.orgId, PRIMARY_OUTCOME.instrumentId);
      await auditRead(app, request, 'effectiveness.mirror.read');
      if (!summary) return { available: false };
      const own = summary.estimates.find((e) => e.therapistId === request.staff!.userId) ?? null;
      const enough = own !== null && own.episodes >= MIN_EPISODES_PER_THERAPIST;
      return {
        available: true,
        instrumentId: summary.instrumentId,
        fittedAt: summary.fittedAt,
        minimumEpisodes: MIN_EPISODES_PER_THERAPIST,
        episodes: own?.episodes ?? 0,
        estimate:
          enough && own
            ? { effect: own.effect, lower: own.lower, upper: own.upper, condSd: own.condSd, verdict: own.verdict }
            : null,
        distribution: effectHistogram(summary.estimates.map((e) => e.effect)),
      };
    },
  );

  app.get(
    '/app/organisation',
    {
      config: { access: { kind: 'aggregate', roles: ['manager'] } },
      schema: {
        hide: true,
        querystring: { type: 'object', properties: { queued: { type: 'string' }, lang: { type: 'string' } } },
      },
    },
    async (request, reply) => {
      const summary = await latestEffects(db, request.staff!.orgId, PRIMARY_OUTCOME.instrumentId);
      await auditRead(app, request, 'effectiveness.organisation.read');
      const queued = (request.query as { queued?: string }).queued === '1';
      return sendPage(request, reply, {
        title: efText(request.lang, 'org.title'),
        body: organisationBody(request.lang, summary, reply.generateCsrf(), queued),
        path: '/app/organisation',
      });
    },
  );

  app.get(
    '/api/organisation/therapist-effects',
    {
      config: { access: { kind: 'aggregate', roles: ['manager'] } },
      schema: {
        tags: ['effectiveness'],
        summary: 'Organisation aggregate: ICC with its interval and the distribution of effects, without identities',
        response: responses({
          200: Answer(
            'The organisation aggregate when at least 5 therapists qualify; otherwise `available: false` with a reason',
            { available: Type.Boolean() },
          ),
        }),
      },
    },
    async (request) => {
      const summary = await latestEffects(db, request.staff!.orgId, PRIMARY_OUTCOME.instrumentId);
      await auditRead(app, request, 'effectiveness.organisation.read');
      if (!summary || !reportAllowed(summary))
        return {
          available: false,
          reason: 'At least 5 therapists with at least 10 completed episodes each are needed.',
        };
      return {
        available: true,
        icc: summary.icc,
        iccCi95: summary.iccCi95,
        episodes: summary.episodes,
        therapists: summary.therapists,
        eligibleTherapists: summary.eligibleTherapists,
        fittedAt: summary.fittedAt,
        distribution: effectHistogram(summary.estimates.map((e) => e.effect)),
      };
    },
  );

  app.post(
    '/app/organisation/refresh',
    {
      config: { access: { kind: 'staff', roles: ['manager', 'admin'] } },
      preValidation: app.csrfProtection,
      schema: { hide: true },
    },
    async (request, reply) => {
      await enqueueRefit(db, request.staff!.orgId);
      await audit(db, {
        orgId: request.staff!.orgId,
        actorId: request.staff!.userId,
        actorRole: request.staff!.roles.join(','),
        action: 'analysis.refit.request',
        ip: request.ip,
        outcome: 'ok',
      });
      return reply.redirect(request.staff!.roles.includes('manager') ? '/app/organisation?queued=1' : '/app', 303);
    },
  );
}
