import { html, inLanguage, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { nextSessionNumber } from '../../domain/feedback/schedule.ts';
import type { EpisodeDetail } from '../../store/episodes.ts';
import type { MessagingSettings } from '../../store/sends.ts';
import { dateText } from '../feedback/caseload-page.ts';
import { pxText, type PxKey } from './texts.ts';

export interface ManageInput {
  lang: Lang;
  csrfToken: string;
  episode: EpisodeDetail;
  invitations: Array<{
    id: string;
    participant_id: string;
    session_number: number | null;
    expires_at: Date;
    used_at: Date | null;
    revoked_at: Date | null;
  }>;
  sends: Array<{
    id: string;
    participant_id: string;
    session_number: number;
    kind: string;
    channel: string;
    status: string;
    sent_at: Date | null;
  }>;
  messaging: MessagingSettings;
  instrumentTitle: (id: string) => { text: string; lang: string };
  /** From the query after a redirect: queued=n, error=contact|closed|instrument|session. */
  flash: { queued?: number; error?: string };
}

const DATE_TIME: Record<Lang, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }),
};

function flashHtml(input: ManageInput): SafeHtml | null {
  const t = (k: PxKey, p?: Record<string, string | number>) => pxText(input.lang, k, p);
  if (input.flash.queued)
    return html`<p class="notice" role="status">${t('inv.queued', { n: input.flash.queued })}</p>`;
  const errors: Record<string, PxKey> = {
    contact: 'inv.noContact',
    closed: 'inv.closed',
    instrument: 'inv.noInstrument',
    session: 'sessions.plannedAt',
  };
  const key = input.flash.error ? errors[input.flash.error] : undefined;
  return key ? html`<p class="error" role="alert">${t(key)}</p>` : null;
}

/** Participants, plan, sessions, invitations and closing: what the therapist sets up on the episode page. */
export function manageSections(input: ManageInput): SafeHtml {
  const { lang, episode } = input;
  const t = (k: PxKey, p?: Record<string, string | number>) => pxText(lang, k, p);
  const active = episode.status === 'active';
  const next = nextSessionNumber(episode.sessions);
  const label = new Map(episode.participants.map((p) => [p.id, p.label]));
  const now = Date.now();
  const state = (i: ManageInput['invitations'][number]) =>
    i.used_at
      ? t('inv.state.used', { date: dateText(lang, i.used_at) })
      : i.revoked_at
        ? t('inv.state.revoked')
        : new Date(i.expires_at).getTime() < now
          ? t('inv.state.expired')
          : t('inv.state.open', { date: dateText(lang, i.expires_at) });
  const csrf = html`<input type="hidden" name="_csrf" value="${input.csrfToken}" />`;
  const titleHtml = (id: string) => {
    const title = input.instrumentTitle(id);
    return inLanguage(title.text, title.lang, lang);
  };
  return html`<section class="card" aria-labelledby="participants-h">
      <h2 id="participants-h">${t('episode.participants')}</h2>
      <ol data-testid="participants">
        ${episode.participants.map(
          (p) =>
            html`<li>
              ${p.label}${p.role ? html` · ${p.role}` : null}${p.email ? html` · <span class="muted">${p.email}</span>` : null}${p.phone ? html` · <span class="muted">${p.phone}</span>` : null}${p.lang === 'en' ? html` · <span class="muted" lang="en">English</span>` : null}
            </li>`,
        )}
      </ol>
      <p><a href="/app/episodes/${episode.id}/participants">${t('episode.editParticipants')}</a></p>
    </section>
    <section class="card" aria-labelledby="plan-h">
      <h2 id="plan-h">${t('plan.title')}</h2>
      ${
        episode.plans.length
          ? html`<ul>
              ${episode.plans.map(
                (p) =>
                  html`<li>
                    ${titleHtml(p.instrument_id)}:
                    ${t(`plan.${p.schedule}`)}${p.every_n ? ` (N = ${p.every_n})` : ''}
                  </li>`,
              )}
            </ul>`
          : html`<p>${t('plan.empty')}</p>`
      }
      <p><a href="/app/episodes/${episode.id}/plan">${t('plan.edit')}</a></p>
    </section>
    <section class="card" aria-labelledby="sessions-h">
      <h2 id="sessions-h">${t('sessions.title')}</h2>
      ${
        episode.sessions.length === 0
          ? html`<p>${t('sessions.none')}</p>`
          : html`<ul data-testid="sessions">
              ${episode.sessions.map(
                (s) =>
                  html`<li>
                    ${t('inv.session')} ${s.number}:
                    ${
                      s.status === 'planned'
                        ? t('sessions.status.planned', {
                            when: s.planned_at ? DATE_TIME[lang].format(s.planned_at) : '',
                          })
                        : s.status === 'held'
                          ? t('sessions.status.held', { when: dateText(lang, s.held_on) })
                          : t('sessions.status.cancelled')
                    }
                    ${
                      s.status === 'planned' && active
                        ? html`<form method="post" action="/app/episodes/${episode.id}/sessions" class="inline">
                            ${csrf}<input type="hidden" name="sessionId" value="${s.id}" />
                            <button type="submit" name="action" value="held" class="secondary">
                              ${t('sessions.markHeld')}
                            </button>
                            <button type="submit" name="action" value="cancelled" class="secondary">
                              ${t('sessions.cancel')}
                            </button>
                          </form>`
                        : null
                    }
                  </li>`,
              )}
            </ul>`
      }
      ${
        active
          ? html`<p class="hint">
                ${t('sessions.scheduleNote', { hours: input.messaging.hoursBefore, reminder: input.messaging.reminderAfterHours })}
              </p>
              <form method="post" action="/app/episodes/${episode.id}/sessions" class="inline-form">
                ${csrf}<input type="hidden" name="action" value="plan" />
                <label for="plannedAt">${t('sessions.plannedAt')}</label>
                <input id="plannedAt" name="plannedAt" type="datetime-local" required />
                <p><button type="submit">${t('sessions.plan')}</button></p>
              </form>
              <form method="post" action="/app/episodes/${episode.id}/sessions" class="inline-form">
                ${csrf}<input type="hidden" name="action" value="record" />
                <label for="heldOn">${t('sessions.heldOn')}</label>
                <input id="heldOn" name="heldOn" type="date" required />
                <p><button type="submit" class="secondary">${t('sessions.record')}</button></p>
              </form>`
          : null
      }
    </section>
    <section class="card no-print" aria-labelledby="invite-h">
      <h2 id="invite-h">${t('inv.title')}</h2>
      ${flashHtml(input)}
      ${
        active
          ? html`${
              episode.participants.some((p) => p.email)
                ? html`<form method="post" action="/app/episodes/${episode.id}/invitations">
                      ${csrf}<input type="hidden" name="participantId" value="all" /><input
                        type="hidden"
                        name="how"
                        value="email"
                      />
                      <p><button type="submit" data-testid="send-all">${t('inv.sendAll', { n: next })}</button></p>
                    </form>`
                : null
            }
              <form method="post" action="/app/episodes/${episode.id}/invitations">
                ${csrf}
                <fieldset>
                  <legend>${t('inv.createTitle')}</legend>
                  <label for="participantId">${t('inv.participant')}</label>
                  <select id="participantId" name="participantId">
                    ${episode.participants.map((p) => html`<option value="${p.id}">${p.label}</option>`)}
                  </select>
                  <label for="sessionNumber">${t('inv.session')}</label>
                  <input
                    id="sessionNumber"
                    name="sessionNumber"
                    type="number"
                    min="1"
                    max="500"
                    placeholder="${next}"
                    aria-describedby="session-hint"
                  />
                  <p class="hint" id="session-hint">${t('inv.sessionHint', { n: next })}</p>
                  <label for="how">${t('inv.how')}</label>
                  <select id="how" name="how">
                    <option value="link">${t('inv.how.link')}</option>
                    <option value="email">${t('inv.how.email')}</option>
                    ${input.messaging.sms ? html`<option value="sms">${t('inv.how.sms')}</option>` : null}
                  </select>
                  <p><button type="submit">${t('inv.create')}</button></p>
                </fieldset>
              </form>`
          : null
      }
      ${
        input.invitations.length === 0
          ? html`<p>${t('inv.none')}</p>`
          : html`<table data-testid="invitations">
              <caption class="visually-hidden">
                ${t('inv.title')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t('inv.participant')}</th>
                  <th scope="col">${t('inv.session')}</th>
                  <th scope="col">${t('inv.state')}</th>
                  <th scope="col">${t('inv.actions')}</th>
                </tr>
              </thead>
              <tbody>
                ${input.invitations.map((i) => {
                  const open = !i.used_at && !i.revoked_at && new Date(i.expires_at).getTime() >= now;
                  return html`<tr>
                    <td>${label.get(i.participant_id) ?? ''}</td>
                    <td>${i.session_number ?? ''}</td>
                    <td>${state(i)}</td>
                    <td>
                      ${
                        open && active
                          ? html`<a href="/app/invitations/${i.id}/revoke">${t('inv.revoke')}</a>
                              <form method="post" action="/app/invitations/${i.id}/reissue" class="inline">
                                ${csrf}<button type="submit" class="link" title="${t('inv.reissueHint')}">
                                  ${t('inv.reissue')}
                                </button>
                              </form>`
                          : null
                      }
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>`
      }
      ${
        input.sends.length
          ? html`<h3>${t('sends.title')}</h3>
              <ul data-testid="sends">
                ${input.sends.map(
                  (s) =>
                    html`<li data-status="${s.status}" data-kind="${s.kind}">
                      ${label.get(s.participant_id) ?? ''}, ${t('inv.session').toLowerCase()} ${s.session_number}:
                      ${t(`sends.kind.${s.kind}` as PxKey)} (${s.channel}) —
                      ${t(`sends.status.${s.status}` as PxKey, { date: s.sent_at ? DATE_TIME[lang].format(s.sent_at) : '' })}
                    </li>`,
                )}
              </ul>`
          : null
      }
    </section>
    <section class="card no-print" aria-labelledby="status-h">
      <h2 id="status-h">${t('status.title')}</h2>
      ${
        active
          ? html`<p><a class="button" href="/app/episodes/${episode.id}/close">${t('status.close')}</a></p>`
          : html`<p>
                ${t('status.closedOn', { date: dateText(lang, episode.ended_on), how: episode.status === 'completed' ? t('status.completed') : t('status.dropped') })}
              </p>
              <form method="post" action="/app/episodes/${episode.id}/status">
                ${csrf}<input type="hidden" name="status" value="active" />
                <p><button type="submit" class="secondary">${t('status.reopen')}</button></p>
              </form>`
      }
    </section>`;
}
