import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { qrSvg } from '../qr.ts';
import { isSpiegelError, SpiegelError } from '../../domain/errors.ts';
import { nextSessionNumber } from '../../domain/feedback/schedule.ts';
import { getEpisode } from '../../store/episodes.ts';
import {
  createInvitation,
  invitationWithToken,
  reissueInvitation,
  revokeInvitation,
  type IssuedInvitation,
} from '../../store/invitations.ts';
import { usableInstrumentIds } from '../../store/org-instruments.ts';
import { queueManualSend } from '../../store/sends.ts';
import { enqueueJobs } from '../jobs.ts';
import { html, raw } from '../../web/html.ts';
import { sendPage } from '../pages.ts';
import { dateText } from '../feedback/caseload-page.ts';
import { actorOf } from './clients.ts';
import { SEND_JOB } from './messaging.ts';
import { pxText, type PxKey } from './texts.ts';

const uuid = { type: 'string', format: 'uuid' } as const;
const own = (resource: string) => ({ access: { kind: 'own' as const, roles: ['therapist' as const], resource } });
const LINK_COOKIE_SECONDS = 15 * 60;
const body = {
  type: 'object',
  maxProperties: 20,
  // The CSRF token is longer than any field: it carries its session binding (auth/csrf.ts).
  properties: { _csrf: { type: 'string', maxLength: 256 } },
  additionalProperties: { type: 'string', maxLength: 80 },
} as const;

/**
 * Invitations from the episode page. Creating one is POST-redirect-GET: the new token travels to the
 * link page in a short-lived, httpOnly cookie scoped to that page (decision 0015), so a reload shows
 * the same link and never creates a second one. Sending by e-mail or SMS queues a job.
 */
export function registerInvitationPages(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const registry = app.ctx.instruments;
  const known = async (request: FastifyRequest) => {
    const ids = await usableInstrumentIds(db, registry, request.staff!.orgId);
    return (id: string) => ids.has(id);
  };
  const cookieName = (id: string) => `inv_${id.replaceAll('-', '')}`;
  const showLink = (reply: FastifyReply, issued: IssuedInvitation) =>
    reply
      .setCookie(cookieName(issued.id), issued.token, {
        path: `/app/invitations/${issued.id}`,
        httpOnly: true,
        sameSite: 'strict',
        secure: app.ctx.config.secureCookies,
        maxAge: LINK_COOKIE_SECONDS,
      })
      .redirect(`/app/invitations/${issued.id}`, 303);
  const back = (reply: FastifyReply, episodeId: string, query: string) =>
    reply.redirect(`/app/episodes/${episodeId}?${query}#invite-h`, 303);
  const problem = (error: unknown): string => {
    if (!isSpiegelError(error)) throw error;
    if (error.code === 'NO_CONTACT') return 'contact';
    if (error.code === 'EPISODE_CLOSED') return 'closed';
    if (error.code === 'VALIDATION_FAILED' && /instrument/i.test(error.message)) return 'instrument';
    throw error;
  };

  app.post<{ Params: { episodeId: string }; Body: Record<string, string> }>(
    '/app/episodes/:episodeId/invitations',
    {
      config: own('episode'),
      preValidation: app.csrfProtection,
      schema: { hide: true, params: { type: 'object', properties: { episodeId: uuid } }, body },
    },
    async (request, reply) => {
      const { episodeId } = request.params;
      const how = request.body.how ?? 'link';
      const session = /^[1-9][0-9]{0,2}$/.test(request.body.sessionNumber ?? '')
        ? Number(request.body.sessionNumber)
        : undefined;
      const episode = await getEpisode(db, actorOf(request), episodeId);
      const sessionNumber = session ?? nextSessionNumber(episode.sessions);
      const targets =
        request.body.participantId === 'all'
          ? episode.participants.filter((p) => (how === 'sms' ? p.phone : p.email)).map((p) => p.id)
          : [request.body.participantId ?? ''];
      // A missing or malformed participant is the request's fault, not the database's.
      if (targets.some((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)))
        throw new SpiegelError('VALIDATION_FAILED', 'Choose a participant.');
      try {
        if (how === 'link') {
          const issued = await createInvitation(
            db,
            actorOf(request),
            episodeId,
            { participantId: targets[0], sessionNumber },
            await known(request),
          );
          return showLink(reply, issued);
        }
        const channel = how === 'sms' ? 'sms' : 'email';
        if (targets.length === 0) return back(reply, episodeId, 'error=contact');
        const ids: string[] = [];
        for (const participantId of targets)
          ids.push(await queueManualSend(db, actorOf(request), episodeId, { participantId, sessionNumber, channel }));
        await enqueueJobs(
          db,
          ids.map((sendId) => ({ kind: SEND_JOB, orgId: request.staff!.orgId, payload: { sendId } })),
        );
        return back(reply, episodeId, `queued=${ids.length}`);
      } catch (error) {
        return back(reply, episodeId, `error=${problem(error)}`);
      }
    },
  );

  app.get<{ Params: { invitationId: string } }>(
    '/app/invitations/:invitationId',
    {
      config: own('invitation'),
      schema: { hide: true, params: { type: 'object', properties: { invitationId: uuid } } },
    },
    async (request, reply) => {
      const id = request.params.invitationId;
      const lang = request.lang;
      const t = (k: PxKey, p?: Record<string, string | number>) => pxText(lang, k, p);
      const token = request.cookies[cookieName(id)];
      const found = token ? await invitationWithToken(db, actorOf(request), id, token) : null;
      const row =
        found ??
        (await db
          .selectFrom('invitations')
          .select(['episode_id', 'session_number', 'participant_id'])
          .where('id', '=', id)
          .where('org_id', '=', request.staff!.orgId)
          .executeTakeFirst());
      if (!row) return reply.callNotFound();
      const episode = await getEpisode(db, actorOf(request), row.episode_id);
      const who = episode.participants.find((p) => p.id === row.participant_id)?.label ?? '';
      const url = found ? `${app.ctx.config.publicUrl}/m/${token}` : null;
      const qr = url ? await qrSvg(url, { errorCorrectionLevel: 'M', margin: 1 }) : null;
      const title = t('inv.linkTitle', { who, n: row.session_number ?? '' });
      return sendPage(request, reply, {
        title,
        scripts: ['/static/invitation.js'],
        path: `/app/invitations/${id}`,
        body: html`<h1>${title}</h1>
          <p class="muted">${episode.client_code}</p>
          ${
            url && found
              ? html`<div class="card invitation" data-testid="new-invitation">
                  <p>${t('inv.linkIntro', { date: dateText(lang, found.expires_at) })}</p>
                  <label for="link">${t('inv.linkLabel')}</label>
                  <input id="link" type="text" readonly value="${url}" />
                  <p class="no-print">
                    <button type="button" data-copy="link" data-done="${t('inv.copied')}" hidden>
                      ${t('inv.copy')}
                    </button>
                    <button type="button" class="secondary" data-print hidden>${t('inv.print')}</button>
                  </p>
                  <div class="qr">${raw(qr!.replace(/^<svg /, `<svg role="img" aria-label="${t('inv.qr')}" `))}</div>
                </div>`
              : html`<p class="notice">${t('inv.linkGone')}</p>`
          }
          <p class="no-print"><a href="/app/episodes/${row.episode_id}#invite-h">${t('inv.back')}</a></p>`,
      });
    },
  );

  app.get<{ Params: { invitationId: string } }>(
    '/app/invitations/:invitationId/revoke',
    {
      config: own('invitation'),
      schema: { hide: true, params: { type: 'object', properties: { invitationId: uuid } } },
    },
    async (request, reply) => {
      const row = await db
        .selectFrom('invitations as i')
        .innerJoin('episodes as e', 'e.id', 'i.episode_id')
        .innerJoin('participants as p', 'p.id', 'i.participant_id')
        .select(['i.id', 'i.episode_id', 'i.session_number', 'p.label'])
        .where('i.id', '=', request.params.invitationId)
        .where('i.org_id', '=', request.staff!.orgId)
        .where('e.therapist_id', '=', request.staff!.userId)
        .executeTakeFirst();
      if (!row) return reply.callNotFound();
      const t = (k: PxKey, p?: Record<string, string | number>) => pxText(request.lang, k, p);
      return sendPage(request, reply, {
        title: t('inv.revoke'),
        path: `/app/invitations/${row.id}/revoke`,
        body: html`<h1>${t('confirm.title')}</h1>
          <div class="card">
            <p>${t('confirm.revoke', { who: row.label, n: row.session_number ?? '' })}</p>
            <form method="post" action="/app/invitations/${row.id}/revoke">
              <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
              <p>
                <button type="submit">${t('confirm.yesRevoke')}</button>
                <a href="/app/episodes/${row.episode_id}#invite-h">${t('form.cancel')}</a>
              </p>
            </form>
          </div>`,
      });
    },
  );

  const invitationEpisode = async (id: string) =>
    (await db.selectFrom('invitations').select('episode_id').where('id', '=', id).executeTakeFirst())?.episode_id;

  app.post<{ Params: { invitationId: string } }>(
    '/app/invitations/:invitationId/revoke',
    {
      config: own('invitation'),
      preValidation: app.csrfProtection,
      schema: { hide: true, params: { type: 'object', properties: { invitationId: uuid } } },
    },
    async (request, reply) => {
      await revokeInvitation(db, actorOf(request), request.params.invitationId);
      return back(reply, (await invitationEpisode(request.params.invitationId))!, 'revoked=1');
    },
  );

  app.post<{ Params: { invitationId: string } }>(
    '/app/invitations/:invitationId/reissue',
    {
      config: own('invitation'),
      preValidation: app.csrfProtection,
      schema: { hide: true, params: { type: 'object', properties: { invitationId: uuid } } },
    },
    async (request, reply) => {
      try {
        return showLink(
          reply,
          await reissueInvitation(db, actorOf(request), request.params.invitationId, await known(request)),
        );
      } catch (error) {
        return back(reply, (await invitationEpisode(request.params.invitationId))!, `error=${problem(error)}`);
      }
    },
  );
}
