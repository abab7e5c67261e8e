import type { Layout } from '../pages.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { formatDate } from '../../domain/reflection/format.ts';
import { reminder } from '../../domain/reflection/schedule.ts';
import type { LocalText } from '../../domain/reflection/types.ts';
import type { Actor } from '../../store/reflection-common.ts';
import { scheduleFacts } from '../../store/reflection-checks.ts';
import type { Database } from '../../store/schema.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { rt } from './texts.ts';

/** Page chrome of the reflection area: the shared layout, a section navigation, no caching. */

export function lt(text: LocalText, lang: Lang): string {
  return text[lang];
}

type Section = 'selfcheck' | 'journal' | 'practice' | 'shared';

function subnav(request: FastifyRequest, current: Section): SafeHtml {
  const lang = request.lang;
  const roles = request.staff?.roles ?? [];
  const links: Array<[Section, string]> = [];
  if (roles.includes('therapist'))
    links.push(['selfcheck', '/app/self-check'], ['journal', '/app/journal'], ['practice', '/app/practice']);
  if (roles.includes('supervisor')) links.push(['shared', '/app/shared']);
  return html`<nav class="subnav" aria-label="${rt(lang, 'sub.label')}">
    <ul>
      ${links.map(([id, href]) => html`<li><a href="${href}" ${id === current ? html` aria-current="page"` : null}>${rt(lang, `sub.${id}`)}</a></li>`)}
    </ul>
  </nav>`;
}

/** The reflection area's layout for `sendPage`: its sub-navigation above the page body. */
export function reflectionLayout(request: FastifyRequest, section: Section): Layout {
  return (body) => html`${subnav(request, section)}${body}`;
}

export function csrfField(reply: FastifyReply): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />`;
}

/**
 * The self-check reminder for the caller's own pages ("your next check-up is due"). Exported so other
 * staff pages (the shell, the caseload) can show it too.
 */
export async function reminderHtml(
  db: Kysely<Database>,
  actor: Actor,
  lang: Lang,
  options: { link: boolean } = { link: true },
): Promise<SafeHtml> {
  const state = reminder({ ...(await scheduleFacts(db, actor)), now: new Date() });
  const link = options.link ? html` <a href="/app/self-check">${rt(lang, 'check.reminder.link')}</a>` : null;
  switch (state.status) {
    case 'never':
      return html`<p class="notice reminder" data-testid="selfcheck-reminder">
        ${rt(lang, 'check.reminder.never')}${link}
      </p>`;
    case 'due':
      return html`<p class="notice reminder reminder-due" role="status" data-testid="selfcheck-reminder">
        ${rt(lang, 'check.reminder.due', { date: formatDate(state.dueOn, lang) })}${link}
      </p>`;
    case 'in-progress':
      return html`<p class="notice reminder" data-testid="selfcheck-reminder">
        ${rt(lang, 'check.reminder.inProgress', { date: formatDate(state.startedOn, lang) })}${link}
      </p>`;
    case 'not-due':
      return options.link
        ? html``
        : html`<p class="muted" data-testid="selfcheck-reminder">
            ${rt(lang, 'check.reminder.notDue', { last: formatDate(state.lastCompletedOn, lang), date: formatDate(state.dueOn, lang) })}
          </p>`;
  }
}

/** The "private" reassurance shown on every reflection page of the owner. */
export function privateNote(lang: Lang): SafeHtml {
  return html`<p class="muted private-note">${rt(lang, 'private.note')}</p>`;
}
