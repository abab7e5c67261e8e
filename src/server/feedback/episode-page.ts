import { html, raw, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { progressChartSvg, allianceChartSvg } from '../../web/charts/progress.ts';
import {
  languagePolicy,
  itemText,
  pickText,
  titleText,
  verifiedLanguageGap,
} from '../../domain/instruments/translation.ts';
import type { InstrumentRegistry } from '../instrument-registry.ts';
import type { AllianceView, OutcomeView } from './episode-view.ts';
import { dateText } from './caseload-page.ts';
import { fbText } from './texts.ts';

type Bilingual = { nl: string; en: string };
interface AlertRow {
  id: string;
  rule: string;
  severity: string;
  reason: unknown;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledgement_note: string | null;
}
interface ResponseRow {
  instrument_id: string;
  /** The organisation's version the client answered; null for the shipped text. */
  instrument_version?: number | null;
  participant_id: string;
  session_number: number;
  questionnaire_response: unknown;
  submitted_at: Date;
}

export interface EpisodePageInput {
  lang: Lang;
  csrfToken: string;
  episode: {
    id: string;
    client_code: string;
    client_alias: string | null;
    modality: string;
    status: string;
    started_on: Date;
    participants: Array<{ id: string; label: string }>;
    plans?: Array<{ instrument_id: string }>;
  };
  status: string;
  outcomes: OutcomeView[];
  alliance: AllianceView[];
  alerts: AlertRow[];
  latestResponses: ResponseRow[];
  registry: InstrumentRegistry;
  newInvitation?: { url: string; qrSvg: string; expiresAt: string; participant: string } | null;
}

function fmt(lang: Lang, value: number): string {
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return lang === 'nl' ? text.replace('.', ',') : text;
}

function alertCard(lang: Lang, alert: AlertRow, csrfToken: string): SafeHtml {
  const reason = alert.reason as Bilingual & { suggestions?: Bilingual[] };
  const t = (key: Parameters<typeof fbText>[1], params?: Record<string, string | number>) => fbText(lang, key, params);
  return html`<article class="card alert alert-${alert.severity}" data-rule="${alert.rule}">
    <h3>${t(`rule.${alert.rule}` as Parameters<typeof fbText>[1])}</h3>
    <p>${reason[lang]}</p>
    ${
      reason.suggestions?.length
        ? html`<p><strong>${t('episode.suggestions')}:</strong></p>
            <ul>
              ${reason.suggestions.map((s) => html`<li>${s[lang]}</li>`)}
            </ul>`
        : null
    }
    ${
      alert.acknowledged_at
        ? html`<p class="muted">
            ${t('episode.acknowledged', { date: dateText(lang, alert.acknowledged_at), note: alert.acknowledgement_note ?? '' })}
          </p>`
        : html`<form method="post" action="/app/alerts/${alert.id}/acknowledge" class="no-print">
            <input type="hidden" name="_csrf" value="${csrfToken}" />
            <label for="note-${alert.id}">${t('episode.note')}</label>
            <textarea id="note-${alert.id}" name="note" rows="2" maxlength="2000" required></textarea>
            <p><button type="submit" class="secondary">${t('episode.acknowledge')}</button></p>
          </form>`
    }
  </article>`;
}

function dataTable(lang: Lang, view: OutcomeView): SafeHtml {
  const sessions = [...new Set(view.series.flatMap((s) => s.points.map((p) => p.session)))].sort((a, b) => a - b);
  const t = (key: Parameters<typeof fbText>[1]) => fbText(lang, key);
  return html`<details>
    <summary>${t('episode.dataTable')}</summary>
    <table>
      <thead>
        <tr>
          <th scope="col">${t('chart.session')}</th>
          ${view.series.map((s) => html`<th scope="col">${s.label}</th>`)}${
            view.expected.length
              ? html`<th scope="col">${t('chart.expected')}</th>
                  <th scope="col">${t('chart.band')}</th>`
              : null
          }
        </tr>
      </thead>
      <tbody>
        ${sessions.map((session) => {
          const e = view.expected.find((x) => x.session === session);
          return html`<tr>
            <th scope="row">${session}</th>
            ${view.series.map((s) => html`<td>${s.points.find((p) => p.session === session)?.value ?? '–'}</td>`)}${
              view.expected.length
                ? html`<td>${e ? fmt(lang, e.mean) : '–'}</td>
                    <td>
                      ${e ? `${fmt(lang, Math.max(0, e.lower))}–${fmt(lang, Math.min(view.yMax, e.upper))}` : '–'}
                    </td>`
                : null
            }
          </tr>`;
        })}
      </tbody>
    </table>
  </details>`;
}

/** Planned instruments a client cannot get in the page's language with a verified text. */
function planGaps(lang: Lang, plans: Array<{ instrument_id: string }>, registry: InstrumentRegistry): SafeHtml {
  const gaps = plans.flatMap((p) => {
    if (!registry.has(p.instrument_id)) return [];
    const scorer = registry.get(p.instrument_id);
    const gap = verifiedLanguageGap(scorer.questionnaire, scorer.spec, lang);
    if (!gap) return [];
    const title = titleText(scorer.questionnaire, lang, languagePolicy(scorer.questionnaire, scorer.spec));
    const shown = gap.shownIn.split('-')[0];
    const language = shown === 'en' || shown === 'nl' ? fbText(lang, `lang.name.${shown}`) : gap.shownIn;
    return [html`<li>${fbText(lang, 'plan.noVerified', { title: title?.text ?? p.instrument_id, language })}</li>`];
  });
  return gaps.length
    ? html`<ul class="notice" data-testid="translation-gaps">
        ${gaps}
      </ul>`
    : html``;
}

/**
 * Instrument text in another language than the page (an item's original English on a Dutch page) is
 * marked with its language (WCAG 3.1.2) and, where asked, labelled as the original.
 */
function inLang(lang: Lang, text: string, textLang: string, label: boolean): SafeHtml {
  const primary = textLang.split('-')[0];
  if (primary === lang) return html`${text}`;
  const key = primary === 'en' || primary === 'nl' ? (`original.${primary}` as const) : 'original.other';
  return html`<span lang="${textLang}">${text}</span>${
      label ? html` <span class="muted" data-testid="original-label">(${fbText(lang, key)})</span>` : null
    }`;
}

function lastResponses(
  lang: Lang,
  rows: ResponseRow[],
  registry: InstrumentRegistry,
  participants: Array<{ id: string; label: string }>,
): SafeHtml {
  const seen = new Set<string>();
  const latest = rows.filter((r) => {
    const key = `${r.instrument_id}:${r.participant_id}`;
    if (seen.has(key) || !registry.has(r.instrument_id)) return false;
    seen.add(key);
    return true;
  });
  return html`${latest.map((r) => {
    const scorer = registry.atVersion(r.instrument_id, r.instrument_version ?? null);
    const policy = languagePolicy(scorer.questionnaire, scorer.spec);
    const title = titleText(scorer.questionnaire, lang, policy, { acceptUnverified: true });
    const items = new Map<
      string,
      {
        text?: string;
        _text?: unknown;
        answerOption?: Array<{ valueCoding?: { code?: string; display?: string; _display?: unknown } }>;
      }
    >();
    const walk = (list: typeof scorer.questionnaire.item) =>
      list?.forEach((i) => (i.type === 'group' ? walk(i.item) : items.set(i.linkId, i as never)));
    walk(scorer.questionnaire.item);
    const qr = r.questionnaire_response as {
      item?: Array<{ linkId: string; answer?: Array<Record<string, unknown>> }>;
    };
    const label = participants.find((p) => p.id === r.participant_id)?.label ?? '';
    return html`<h3>
        ${inLang(lang, title?.text ?? scorer.instrumentId, title?.lang ?? lang, false)} ·
        ${fbText(lang, 'session.n', { n: r.session_number })} · ${label}
      </h3>
      <table>
        <tbody>
          ${(qr.item ?? []).map((answered) => {
            const item = items.get(answered.linkId);
            const text = item ? itemText(item as never, lang, policy, { acceptUnverified: true }) : null;
            const a = answered.answer?.[0] ?? {};
            const coding = a.valueCoding as { code?: string; display?: string; _display?: unknown } | undefined;
            const picked = coding
              ? pickText(coding.display, coding._display, lang, policy, { acceptUnverified: true })
              : null;
            const shown = coding
              ? inLang(lang, picked?.text ?? coding.code ?? '', picked?.lang ?? lang, false)
              : String(a.valueInteger ?? a.valueDecimal ?? a.valueString ?? '');
            return html`<tr>
              <th scope="row">${text ? inLang(lang, text.text, text.lang, true) : answered.linkId}</th>
              <td>${shown}</td>
            </tr>`;
          })}
        </tbody>
      </table>`;
  })}`;
}

/** Open alerts grouped by rule, newest first: the newest is shown, earlier ones fold away. */
function latestPerRule(alerts: AlertRow[]): Array<{ latest: AlertRow; older: AlertRow[] }> {
  const groups = new Map<string, AlertRow[]>();
  for (const a of [...alerts].sort((x, y) => new Date(y.created_at).getTime() - new Date(x.created_at).getTime())) {
    const list = groups.get(a.rule);
    if (list) list.push(a);
    else groups.set(a.rule, [a]);
  }
  return [...groups.values()].map(([latest, ...older]) => ({ latest, older }));
}

export function episodeBody(input: EpisodePageInput): SafeHtml {
  const { lang, episode } = input;
  const t = (key: Parameters<typeof fbText>[1], params?: Record<string, string | number>) => fbText(lang, key, params);
  const open = input.alerts.filter((a) => !a.acknowledged_at);
  const closed = input.alerts.filter((a) => a.acknowledged_at);
  return html`<h1>
      ${t('episode.title', { code: episode.client_code })}${episode.client_alias ? html` <span class="muted">(${episode.client_alias})</span>` : null}
    </h1>
    <p>
      <span class="status status-${input.status}" data-testid="episode-status"
        >${t(`status.${input.status}` as Parameters<typeof fbText>[1])}</span
      >
      · ${t(`modality.${episode.modality as 'individual'}`)} · ${t('col.started')}:
      ${dateText(lang, episode.started_on)} · <a href="/app/episodes/${episode.id}/report.pdf">${t('episode.pdf')}</a>
    </p>
    <section aria-labelledby="alerts-h">
      <h2 id="alerts-h">${t('episode.alerts')}</h2>
      ${
        open.length
          ? latestPerRule(open).map(
              ({ latest, older }) =>
                html`${alertCard(lang, latest, input.csrfToken)}${
                  older.length
                    ? html`<details class="older-alerts">
                        <summary>${t('episode.olderAlerts', { n: older.length })}</summary>
                        ${older.map((a) => alertCard(lang, a, input.csrfToken))}
                      </details>`
                    : null
                }`,
            )
          : html`<p>${t('episode.noAlerts')}</p>`
      }
      ${
        closed.length
          ? html`<details>
              <summary>${closed.length} ✓</summary>
              ${closed.map((a) => alertCard(lang, a, input.csrfToken))}
            </details>`
          : null
      }
    </section>
    ${input.outcomes.map((o) => {
      const name = o.scale.name[lang] ?? o.scale.name.en ?? o.instrumentId;
      const title = t('episode.progress', { name });
      const curve = o.curve;
      return html`<section class="card chart" aria-labelledby="chart-${o.instrumentId}">
        <h2 id="chart-${o.instrumentId}">${title}</h2>
        ${raw(progressChartSvg({ lang, title, yMin: 0, yMax: o.yMax, series: o.series, cutoff: o.cutoff, reliableBand: o.reliableBand, expected: o.expected, alerts: o.alertMarkers }))}
        <p class="muted" data-testid="expected-method">
          ${curve ? t('episode.expectedMethod', { method: lang === 'nl' ? 'gemengd model' : 'mixed model', date: dateText(lang, curve.fittedAt), episodes: curve.dataWindow.episodes, therapists: curve.dataWindow.therapists, from: dateText(lang, curve.dataWindow.from), to: dateText(lang, curve.dataWindow.to) }) : t('episode.ruleBased')}
        </p>
        ${dataTable(lang, o)}
      </section>`;
    })}
    ${input.alliance.map(
      (a) =>
        html`<section class="card chart" aria-labelledby="alliance-h">
          <h2 id="alliance-h">${t('episode.alliance')}</h2>
          ${raw(allianceChartSvg(lang, t('episode.alliance'), a.series, a.lowThreshold, a.max))}
        </section>`,
    )}
    <section class="card" aria-labelledby="last-h">
      <h2 id="last-h">${t('episode.lastResponse')}</h2>
      ${lastResponses(lang, input.latestResponses, input.registry, episode.participants)}
    </section>
    <section class="card no-print" aria-labelledby="invite-h">
      <h2 id="invite-h">${t('episode.invite')}</h2>
      ${
        input.newInvitation
          ? html`<div class="notice" data-testid="new-invitation">
              <p>${t('episode.inviteLink', { days: 7 })} — ${input.newInvitation.participant}:</p>
              <p><a href="${input.newInvitation.url}">${input.newInvitation.url}</a></p>
              <div class="qr">
                ${raw(input.newInvitation.qrSvg.replace(/^<svg /, '<svg role="img" aria-label="QR" '))}
              </div>
            </div>`
          : null
      }
      ${planGaps(lang, episode.plans ?? [], input.registry)}
      <form method="post" action="/app/episodes/${episode.id}/invitations">
        <input type="hidden" name="_csrf" value="${input.csrfToken}" />
        <label for="participantId">${t('episode.participant')}</label>
        <select id="participantId" name="participantId">
          ${episode.participants.map((p) => html`<option value="${p.id}">${p.label}</option>`)}
        </select>
        <label for="sessionNumber">${t('episode.sessionNumber')}</label>
        <input id="sessionNumber" name="sessionNumber" type="number" min="1" max="500" />
        <p><button type="submit">${t('episode.invite')}</button></p>
      </form>
    </section>`;
}
