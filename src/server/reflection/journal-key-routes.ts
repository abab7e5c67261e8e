import type { FastifyInstance } from 'fastify';
import { audit } from '../../store/audit.ts';
import { newRecoveryCode, unlockOldKeys } from '../../store/journal-keys.ts';
import { html } from '../../web/html.ts';
import { ownJournalKey } from '../journal-key.ts';
import { sendPage } from '../pages.ts';
import { actorOf, noStore, type ReflectionContext } from './context.ts';
import { kt } from './journal-key-pages.ts';
import { OWN_JOURNAL } from './journal-routes.ts';
import { reflectionLayout } from './page.ts';

/**
 * The therapist's own journal key (decision 0035): make a recovery code (shown once), and open entries
 * that are locked under an earlier key (after a password was set through a link) with the previous
 * password or the recovery code.
 */

export function registerJournalKeyRoutes(app: FastifyInstance, ctx: ReflectionContext): void {
  const { db } = app.ctx.store;
  const config = { access: OWN_JOURNAL };
  const auditKey = (request: Parameters<typeof actorOf>[0], action: string, outcome: 'ok' | 'denied') => {
    const actor = actorOf(request);
    return audit(db, {
      orgId: actor.orgId,
      actorId: actor.userId,
      actorRole: actor.roles.join(','),
      action,
      subjectType: 'user',
      subjectId: actor.userId,
      ip: request.ip,
      outcome,
    });
  };

  app.post<{ Body: { secret: string } }>(
    '/app/journal/unlock',
    {
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['secret'],
          properties: { secret: { type: 'string', maxLength: 1024 }, _csrf: { type: 'string', maxLength: 200 } },
        },
      },
      // A guess at an old password costs an argon2 derivation per locked key: few tries a minute.
      config: { ...config, rateLimit: { max: 5, timeWindow: '1 minute' } },
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      const dk = ownJournalKey(app, request);
      const opened = await unlockOldKeys(db, ctx.keyring, actorOf(request), dk, request.body.secret);
      await auditKey(request, 'reflection.journal_key.unlock', opened > 0 ? 'ok' : 'denied');
      return reply.redirect(`/app/journal?notice=${opened > 0 ? 'unlocked' : 'unlock-failed'}`, 303);
    },
  );

  app.post(
    '/app/journal/recovery-code',
    {
      schema: {
        hide: true,
        body: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 200 } } },
      },
      config: { ...config, rateLimit: { max: 10, timeWindow: '1 minute' } },
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      const code = await newRecoveryCode(db, actorOf(request), ownJournalKey(app, request));
      await auditKey(request, 'reflection.journal_key.recovery_code', 'ok');
      const lang = request.lang;
      return sendPage(request, noStore(reply), {
        title: kt(lang, 'key.recoveryTitle'),
        layout: reflectionLayout(request, 'journal'),
        body: html`<h1>${kt(lang, 'key.recoveryTitle')}</h1>
          <section class="card">
            <p><code class="secret" data-testid="recovery-code">${code}</code></p>
            <p>${kt(lang, 'key.recoveryShown')}</p>
            <p><a href="/app/journal">${kt(lang, 'key.back')}</a></p>
          </section>`,
      });
    },
  );
}
