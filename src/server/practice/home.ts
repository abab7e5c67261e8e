import type { FastifyInstance, FastifyRequest } from 'fastify';
import { caseload } from '../../store/feedback.ts';
import { organisationActions, supervisorHome, therapistHome } from '../../store/home.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { dateText } from '../feedback/caseload-page.ts';
import { fbText } from '../feedback/texts.ts';
import { reminderHtml } from '../reflection/index.ts';
import { pxText, type PxKey } from './texts.ts';

const DATE_TIME: Record<Lang, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Amsterdam',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Amsterdam',
  }),
};
const ITEM_PATH: Record<string, string> = {
  self_check: '/app/self-check',
  journal_entry: '/app/journal',
  practice_goal: '/app/practice',
};
const ITEM_NAME: Record<string, { nl: string; en: string }> = {
  self_check: { nl: 'zelfcheck', en: 'self-check' },
  journal_entry: { nl: 'dagboeknotitie', en: 'journal entry' },
  practice_goal: { nl: 'oefendoel', en: 'practice goal' },
};

function client(code: string, alias: string | null): SafeHtml {
  return html`${code}${alias ? html` <span class="muted">(${alias})</span>` : null}`;
}

function list(lang: Lang, id: string, title: string, items: SafeHtml[], testId: string): SafeHtml {
  return html`<section class="card" aria-labelledby="${id}" data-testid="${testId}">
    <h2 id="${id}">${title} <span class="muted">(${items.length})</span></h2>
    ${
      items.length
        ? html`<ul>
            ${items.map((i) => html`<li>${i}</li>`)}
          </ul>`
        : html`<p class="muted">${pxText(lang, 'home.nothing')}</p>`
    }
  </section>`;
}

/** The home page's role sections: what needs attention first, for each role the user holds. */
export async function homeSections(app: FastifyInstance, request: FastifyRequest): Promise<SafeHtml> {
  const staff = request.staff!;
  const lang = request.lang;
  const db = app.ctx.store.db;
  const t = (k: PxKey, p?: Record<string, string | number>) => pxText(lang, k, p);
  const who = { orgId: staff.orgId, userId: staff.userId, roles: staff.roles, ip: request.ip };
  const parts: SafeHtml[] = [];
  if (staff.roles.includes('therapist')) {
    const [home, rows, reminder] = await Promise.all([
      therapistHome(db, who),
      // One audit row for the page: therapistHome's home.read covers the caseload statuses shown.
      caseload(db, { staff, ip: request.ip }, app.ctx.instruments, { audit: false }),
      reminderHtml(db, who, lang),
    ]);
    const risks = home.risks.map((a) => {
      const label = a.participant_label;
      return html`<a href="/app/episodes/${a.episode_id}#alerts-h">${client(a.code, a.alias)}</a
        >${label ? html` · <strong data-testid="risk-participant">${label}</strong>` : null} ·
        ${dateText(lang, a.created_at)}`;
    });
    const offTrack = rows.filter(
      (r) => r.status === 'deteriorated' || r.status === 'not_on_track' || r.status === 'alliance_concern',
    );
    parts.push(
      html`<p>
          <a class="button" href="/app/clients/new">${t('home.newClient')}</a>
          <a href="/app/clients">${t('clients.title')}</a>
        </p>
        <section class="card alert alert-urgent" aria-labelledby="home-risk" data-testid="home-risk">
          <h2 id="home-risk">${t('home.risk')} <span class="muted">(${risks.length})</span></h2>
          ${
            risks.length
              ? html`<ul>
                  ${risks.map((r) => html`<li>${r}</li>`)}
                </ul>`
              : html`<p class="muted">${t('home.nothing')}</p>`
          }
        </section>
        ${list(
          lang,
          'home-off',
          t('home.offTrack'),
          offTrack.map(
            (r) =>
              html`<a href="/app/episodes/${r.episodeId}">${client(r.clientCode, r.alias)}</a> ·
                ${fbText(lang, `status.${r.status}`)}`,
          ),
          'home-offtrack',
        )}
        ${list(
          lang,
          'home-due',
          t('home.due'),
          home.due.map(
            (s) =>
              html`<a href="/app/episodes/${s.episode_id}#sessions-h">${client(s.code, s.alias)}</a> ·
                ${t('home.sessionAt', { n: s.number, date: s.planned_at ? DATE_TIME[lang].format(s.planned_at) : '' })}`,
          ),
          'home-due',
        )}
        ${list(
          lang,
          'home-pending',
          t('home.pending'),
          home.pending.map(
            (i) =>
              html`<a href="/app/episodes/${i.episode_id}#invite-h">${client(i.code, i.alias)}</a> · ${i.label} ·
                ${t('home.sentOn', { n: i.session_number ?? '', date: dateText(lang, i.created_at) })}`,
          ),
          'home-pending',
        )}
        ${list(
          lang,
          'home-comments',
          t('home.comments'),
          home.comments.map(
            (c) =>
              html`<a href="${ITEM_PATH[c.item_type] ?? '/app'}"
                  >${c.display_name}: ${ITEM_NAME[c.item_type]?.[lang] ?? c.item_type}</a
                >
                · ${t('home.commentOn', { date: dateText(lang, c.created_at) })}`,
          ),
          'home-comments',
        )}
        ${reminder}`,
    );
  }
  if (staff.roles.includes('supervisor')) {
    const shared = await supervisorHome(db, who);
    parts.push(
      list(
        lang,
        'home-shared',
        t('home.shared'),
        shared.map(
          (s) =>
            html`<a href="/app/shared/${s.id}"
              >${t('home.sharedItem', { who: s.display_name, what: ITEM_NAME[s.item_type]?.[lang] ?? s.item_type, date: dateText(lang, s.created_at) })}</a
            >`,
        ),
        'home-shared',
      ),
    );
  }
  if (staff.roles.includes('admin') || staff.roles.includes('manager')) {
    const counts = await organisationActions(db, staff.orgId);
    const items: SafeHtml[] = [];
    if (staff.roles.includes('admin')) {
      if (!app.mailer.configured) items.push(html`${t('home.noSmtp')}`);
      if (counts.locked) items.push(html`<a href="/app/admin">${t('home.lockedUsers', { n: counts.locked })}</a>`);
      if (counts.pendingStaff)
        items.push(html`<a href="/app/admin">${t('home.pendingStaff', { n: counts.pendingStaff })}</a>`);
    }
    if (staff.roles.includes('manager') && counts.oldRisks)
      items.push(html`<a href="/app/organisation">${t('home.oldUrgent', { n: counts.oldRisks })}</a>`);
    parts.push(list(lang, 'home-actions', t('home.actions'), items, 'home-actions'));
  }
  return html`${parts}`;
}
