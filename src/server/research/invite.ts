/**
 * Inviting the organisation's therapists to a study without the researcher learning who answered:
 * every active therapist gets a single-use anonymous link by mail, sent in this request. The link rows
 * hold only their hash and whether they were used (no user, no address), the mails are not queued or
 * logged, and the researcher sees only how many were sent. Needs SMTP: without it no link is made.
 */
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { html } from '../../web/html.ts';
import { researchText as t } from '../../web/research/texts.ts';
import { sendPage } from '../pages.ts';
import { createTokens } from '../../store/research.ts';
import { appendAudit } from '../../store/audit.ts';
import { SpiegelError } from '../../domain/errors.ts';
import type { Lang } from '../../web/i18n.ts';
import type { Mail } from '../auth/mailer.ts';
import { inLanguage, type MailLang } from '../auth/mails.ts';
import { baseUrl, ownStudy, researcherAccess, studyTitle } from './studies.ts';

/**
 * The invitation to a study, in the colleague's language (null: never signed in, both languages). The
 * study's title is the researcher's own, in the survey's language: quoted, as the title of a work.
 */
export function studyInviteMail(lang: MailLang, to: string, title: (lang: Lang) => string, url: string): Mail {
  return {
    to,
    subject: inLanguage(lang, (l) => `${t(l, 'invite.subject')}: “${title(l)}”`, ' / '),
    text: `${inLanguage(lang, (l) => t(l, 'invite.body'))}\n\n${url}\n`,
  };
}

export function registerInviteRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  app.post<{ Params: { id: string } }>(
    '/app/research/studies/:id/invite',
    {
      config: researcherAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 40 } } },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const study = await ownStudy(request, request.params.id);
      if (study.status !== 'open') throw new SpiegelError('STUDY_NOT_OPEN');
      if (!app.mailer.configured)
        throw new SpiegelError('STUDY_INVALID', 'Inviting colleagues needs a mail server (SPIEGEL_SMTP_URL).');
      const colleagues = await db
        .selectFrom('users')
        .select(['email', 'lang'])
        .where('org_id', '=', study.orgId)
        .where('active', '=', true)
        .where(sql<boolean>`'therapist' = ANY(roles)`)
        .execute();
      // The pairing of address and token exists only in this loop, in memory.
      const emails = colleagues.map((c) => c.email);
      // The study's own title, in the language the researcher wrote it in.
      const title = () => study.title;
      const tokens = await createTokens(db, study, 'organisatie', emails.length);
      let sent = 0;
      for (let i = 0; i < emails.length; i++) {
        try {
          await app.mailer.send(
            studyInviteMail(colleagues[i].lang, emails[i], title, `${baseUrl(request)}/s/${tokens[i]}`),
          );
          sent++;
        } catch {
          // One failed address is counted, never logged with its link.
        }
      }
      await appendAudit(db, {
        orgId: study.orgId,
        actorId: request.staff!.userId,
        actorRole: 'researcher',
        action: 'research.invite.org',
        subjectType: 'research_study',
        subjectId: study.id,
        outcome: 'ok',
      });
      const body = html`<h1>${t(lang, 'invite.title')}</h1>
        <p data-testid="invite-result">${t(lang, 'invite.done', { sent: String(sent), total: String(emails.length) })}</p>
        <p>${t(lang, 'invite.private')}</p>
        <p><a href="/app/research/studies/${study.id}">${studyTitle(study, lang)}</a></p>`;
      return sendPage(request, reply, { title: t(lang, 'invite.title'), body, path: '/app/research/studies' });
    },
  );
}
