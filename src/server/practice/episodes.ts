import { displayTitle } from '../../domain/instruments/index.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSpiegelError } from '../../domain/errors.ts';
import {
  addSession,
  createEpisode,
  ownEpisodeId,
  getEpisode,
  planSession,
  setEpisodeStatus,
  setPlan,
  updateParticipants,
  updateSession,
} from '../../store/episodes.ts';
import { usableInstrumentIds } from '../../store/org-instruments.ts';
import { readOrgSettings } from '../../store/users.ts';
import { measurementDefaults } from '../../domain/settings/organisation.ts';
import type { Modality } from '../../store/schema.ts';
import { html } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { sendPage } from '../pages.ts';
import { actorOf, errorSummary } from './clients.ts';
import {
  newEpisodeForm,
  participantRows,
  participantsFrom,
  planFields,
  plansFrom,
  type FormFields,
  type InstrumentChoice,
} from './episode-forms.ts';
import { pxText, type PxKey } from './texts.ts';

const uuid = { type: 'string', format: 'uuid' } as const;
const own = (resource: string) => ({ access: { kind: 'own' as const, roles: ['therapist' as const], resource } });
const formBody = {
  type: 'object',
  maxProperties: 120,
  additionalProperties: { type: 'string', maxLength: 200 },
} as const;
const episodeParams = { type: 'object', properties: { episodeId: uuid } } as const;

/** Today's date in Amsterdam, as yyyy-mm-dd. */
export function todayIso(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(now);
}

/** A datetime-local value ("2026-03-02T09:30") read as Amsterdam time. */
export function amsterdamTime(local: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(asUtc));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return new Date(asUtc - (shown - asUtc));
}

/** Store errors as the form's messages, in the user's language. */
export function episodeErrors(lang: Lang, error: unknown): string[] {
  if (!isSpiegelError(error)) throw error;
  const t = (k: PxKey) => pxText(lang, k);
  if (error.code === 'SESSION_NUMBER_IN_USE') return [t('sessions.exists')];
  if (error.code === 'EPISODE_CLOSED') return [t('inv.closed')];
  if (error.code !== 'VALIDATION_FAILED') throw error;
  if (error.message.startsWith('body.participants.')) return [t('episode.contactInvalid')];
  if (error.message.startsWith('body.participants')) return [t('episode.participantsInvalid')];
  if (error.message.startsWith('body.plans.everyN')) return [`${t('plan.every_n')}: ${t('plan.everyN')}`];
  if (error.message.startsWith('body.plans')) return [t('plan.required')];
  return [error.message];
}

/** Episode set-up: new episode, plan, participants, sessions, close and reopen (POST-redirect-GET). */
export function registerEpisodePages(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const registry = app.ctx.instruments;

  async function instruments(request: FastifyRequest): Promise<InstrumentChoice[]> {
    const ids = await usableInstrumentIds(db, registry, request.staff!.orgId);
    return [...ids]
      .filter((id) => registry.has(id))
      .map((id) => {
        const scorer = registry.get(id);
        const title = displayTitle(scorer.questionnaire, scorer.spec, request.lang);
        return { id, title: title.text, titleLang: title.lang };
      })
      .sort((a, b) => a.title.localeCompare(b.title));
  }
  const known = async (request: FastifyRequest) => {
    const ids = await usableInstrumentIds(db, registry, request.staff!.orgId);
    return (id: string) => ids.has(id);
  };
  const ownClient = (request: FastifyRequest, clientId: string) =>
    db
      .selectFrom('clients')
      .select(['id', 'code'])
      .where('id', '=', clientId)
      .where('org_id', '=', request.staff!.orgId)
      .where('therapist_id', '=', request.staff!.userId)
      .executeTakeFirst();

  async function renderNew(
    request: FastifyRequest,
    reply: FastifyReply,
    clientId: string,
    body: FormFields | null,
    errors: string[] = [],
  ) {
    const client = await ownClient(request, clientId);
    if (!client) return reply.callNotFound();
    const [choices, settings] = await Promise.all([instruments(request), readOrgSettings(db, request.staff!.orgId)]);
    // The organisation's measurement defaults (admin settings) fill in the new plan.
    const m = measurementDefaults(settings);
    const defaults = choices
      .filter((c) => c.id === 'phq9' || c.id === 'spiegel-alliance')
      .map((c) => ({ instrumentId: c.id, schedule: m.schedule, everyN: m.schedule === 'every_n' ? m.everyN : null }));
    const values = body
      ? {
          modality: (body.modality ?? 'individual') as Modality,
          startedOn: body.startedOn ?? todayIso(),
          participants: participantsFrom(body),
          plans: plansFrom(body, choices),
          withoutPlan: body.withoutPlan === 'yes',
        }
      : {
          modality: 'individual' as const,
          startedOn: todayIso(),
          participants: [],
          plans: defaults,
          withoutPlan: false,
        };
    return sendPage(request, reply, {
      title: pxText(request.lang, 'clients.newEpisode'),
      body: newEpisodeForm(request.lang, reply.generateCsrf(), client, choices, values, errors),
      path: `/app/clients/${clientId}/episodes/new`,
      status: errors.length ? 400 : 200,
    });
  }

  app.get<{ Params: { clientId: string } }>(
    '/app/clients/:clientId/episodes/new',
    { config: own('client'), schema: { hide: true, params: { type: 'object', properties: { clientId: uuid } } } },
    (request, reply) => renderNew(request, reply, request.params.clientId, null),
  );

  app.post<{ Params: { clientId: string }; Body: FormFields }>(
    '/app/clients/:clientId/episodes',
    {
      config: own('client'),
      preValidation: app.csrfProtection,
      schema: { hide: true, params: { type: 'object', properties: { clientId: uuid } }, body: formBody },
    },
    async (request, reply) => {
      const body = request.body;
      const modality = body.modality as Modality;
      if (
        !['individual', 'couple', 'family', 'group'].includes(modality) ||
        !/^\d{4}-\d{2}-\d{2}$/.test(body.startedOn ?? '')
      )
        return renderNew(request, reply, request.params.clientId, body, [
          pxText(request.lang, 'episode.participantsInvalid'),
        ]);
      try {
        const episode = await createEpisode(
          db,
          actorOf(request),
          {
            clientId: request.params.clientId,
            modality,
            startedOn: body.startedOn!,
            participants: participantsFrom(body),
            plans: plansFrom(body, await instruments(request)),
            withoutPlan: body.withoutPlan === 'yes',
          },
          await known(request),
        );
        return reply.redirect(`/app/episodes/${episode.id}`, 303);
      } catch (error) {
        return renderNew(request, reply, request.params.clientId, body, episodeErrors(request.lang, error));
      }
    },
  );

  async function renderPlan(
    request: FastifyRequest,
    reply: FastifyReply,
    episodeId: string,
    body: FormFields | null,
    errors: string[] = [],
  ) {
    const episode = await getEpisode(db, actorOf(request), episodeId);
    const choices = await instruments(request);
    const plans = body
      ? plansFrom(body, choices)
      : episode.plans.map((p) => ({ instrumentId: p.instrument_id, schedule: p.schedule, everyN: p.every_n }));
    const t = (k: PxKey) => pxText(request.lang, k);
    return sendPage(request, reply, {
      title: t('plan.edit'),
      body: html`<h1>${t('plan.edit')} · ${episode.client_code}</h1>
        ${errorSummary(request.lang, errors)}
        <form method="post" action="/app/episodes/${episodeId}/plan" class="card">
          <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
          ${planFields(request.lang, choices, plans, body ? body.withoutPlan === 'yes' : episode.without_plan)}
          <p>
            <button type="submit">${t('clients.save')}</button>
            <a href="/app/episodes/${episodeId}">${t('form.cancel')}</a>
          </p>
        </form>`,
      path: `/app/episodes/${episodeId}/plan`,
      status: errors.length ? 400 : 200,
    });
  }

  app.get<{ Params: { episodeId: string } }>(
    '/app/episodes/:episodeId/plan',
    { config: own('episode'), schema: { hide: true, params: episodeParams } },
    (request, reply) => renderPlan(request, reply, request.params.episodeId, null),
  );

  app.post<{ Params: { episodeId: string }; Body: FormFields }>(
    '/app/episodes/:episodeId/plan',
    {
      config: own('episode'),
      preValidation: app.csrfProtection,
      schema: { hide: true, params: episodeParams, body: formBody },
    },
    async (request, reply) => {
      const id = request.params.episodeId;
      try {
        const choices = await instruments(request);
        await setPlan(
          db,
          actorOf(request),
          id,
          plansFrom(request.body, choices),
          request.body.withoutPlan === 'yes',
          await known(request),
        );
      } catch (error) {
        return renderPlan(request, reply, id, request.body, episodeErrors(request.lang, error));
      }
      return reply.redirect(`/app/episodes/${id}#plan-h`, 303);
    },
  );

  async function renderParticipants(
    request: FastifyRequest,
    reply: FastifyReply,
    episodeId: string,
    body: FormFields | null,
    errors: string[] = [],
  ) {
    const episode = await getEpisode(db, actorOf(request), episodeId);
    const values = body
      ? participantsFrom(body, episode.participants.length)
      : episode.participants.map((p) => ({
          id: p.id,
          label: p.label,
          role: p.role,
          email: p.email,
          phone: p.phone,
          lang: p.lang ?? 'nl',
        }));
    const t = (k: PxKey) => pxText(request.lang, k);
    return sendPage(request, reply, {
      title: t('episode.editParticipants'),
      body: html`<h1>${t('episode.editParticipants')} · ${episode.client_code}</h1>
        ${errorSummary(request.lang, errors)}
        <p class="hint">${t('episode.participantsHint')}</p>
        <form method="post" action="/app/episodes/${episodeId}/participants" class="card">
          <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
          ${participantRows(request.lang, values, episode.participants.length)}
          <p>
            <button type="submit">${t('clients.save')}</button>
            <a href="/app/episodes/${episodeId}">${t('form.cancel')}</a>
          </p>
        </form>`,
      path: `/app/episodes/${episodeId}/participants`,
      status: errors.length ? 400 : 200,
    });
  }

  app.get<{ Params: { episodeId: string } }>(
    '/app/episodes/:episodeId/participants',
    { config: own('episode'), schema: { hide: true, params: episodeParams } },
    (request, reply) => renderParticipants(request, reply, request.params.episodeId, null),
  );

  app.post<{ Params: { episodeId: string }; Body: FormFields }>(
    '/app/episodes/:episodeId/participants',
    {
      config: own('episode'),
      preValidation: app.csrfProtection,
      schema: { hide: true, params: episodeParams, body: formBody },
    },
    async (request, reply) => {
      const id = request.params.episodeId;
      try {
        const rows = participantsFrom(request.body).filter((p) => p.id);
        await updateParticipants(
          db,
          actorOf(request),
          id,
          rows.map((p) => ({ ...p, id: p.id! })),
        );
      } catch (error) {
        return renderParticipants(request, reply, id, request.body, episodeErrors(request.lang, error));
      }
      return reply.redirect(`/app/episodes/${id}`, 303);
    },
  );

  // Sessions: plan the next one, record a held one, mark a planned one held or cancelled.
  app.post<{ Params: { episodeId: string }; Body: FormFields }>(
    '/app/episodes/:episodeId/sessions',
    {
      config: own('episode'),
      preValidation: app.csrfProtection,
      schema: { hide: true, params: episodeParams, body: formBody },
    },
    async (request, reply) => {
      const id = request.params.episodeId;
      await ownEpisodeId(db, actorOf(request), id);
      const back = `/app/episodes/${id}?error=`;
      if (request.body.action === 'plan') {
        const at = amsterdamTime(request.body.plannedAt ?? '');
        if (!at) return reply.redirect(`${back}session#sessions-h`, 303);
        await planSession(db, actorOf(request), id, at);
      } else if (request.body.action === 'record') {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(request.body.heldOn ?? ''))
          return reply.redirect(`${back}session#sessions-h`, 303);
        await addSession(db, actorOf(request), id, { heldOn: request.body.heldOn! });
      } else if (request.body.sessionId && (request.body.action === 'held' || request.body.action === 'cancelled')) {
        await updateSession(
          db,
          actorOf(request),
          id,
          request.body.sessionId,
          request.body.action === 'held' ? { status: 'held', heldOn: todayIso() } : { status: 'cancelled' },
        );
      }
      return reply.redirect(`/app/episodes/${id}#sessions-h`, 303);
    },
  );

  app.get<{ Params: { episodeId: string } }>(
    '/app/episodes/:episodeId/close',
    { config: own('episode'), schema: { hide: true, params: episodeParams } },
    async (request, reply) => {
      const id = request.params.episodeId;
      const episode = await getEpisode(db, actorOf(request), id);
      const open = await db
        .selectFrom('invitations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('episode_id', '=', id)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', new Date())
        .executeTakeFirstOrThrow();
      const t = (k: PxKey, p?: Record<string, string | number>) => pxText(request.lang, k, p);
      return sendPage(request, reply, {
        title: t('status.close'),
        body: html`<h1>${t('status.close')} · ${episode.client_code}</h1>
          <div class="card">
            <h2>${t('confirm.title')}</h2>
            <p>${t('confirm.close', { n: Number(open.n) })}</p>
            <form method="post" action="/app/episodes/${id}/status">
              <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
              <fieldset>
                <legend>${t('status.how')}</legend>
                <div class="options">
                  <span class="option"
                    ><input type="radio" id="st-completed" name="status" value="completed" checked /><label
                      for="st-completed"
                      >${t('status.completed')}</label
                    ></span
                  >
                  <span class="option"
                    ><input type="radio" id="st-dropped" name="status" value="dropped" /><label for="st-dropped"
                      >${t('status.dropped')}</label
                    ></span
                  >
                </div>
              </fieldset>
              <p>
                <button type="submit">${t('confirm.yesClose')}</button>
                <a href="/app/episodes/${id}">${t('form.cancel')}</a>
              </p>
            </form>
          </div>`,
        path: `/app/episodes/${id}/close`,
      });
    },
  );

  app.post<{ Params: { episodeId: string }; Body: FormFields }>(
    '/app/episodes/:episodeId/status',
    {
      config: own('episode'),
      preValidation: app.csrfProtection,
      schema: { hide: true, params: episodeParams, body: formBody },
    },
    async (request, reply) => {
      const status = request.body.status;
      if (status !== 'active' && status !== 'completed' && status !== 'dropped')
        return reply.redirect(`/app/episodes/${request.params.episodeId}`, 303);
      await setEpisodeStatus(db, actorOf(request), request.params.episodeId, { status });
      return reply.redirect(`/app/episodes/${request.params.episodeId}`, 303);
    },
  );
}
