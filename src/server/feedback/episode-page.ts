import { formatDecimal } from '../../domain/format.ts';
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
import type { InstrumentRegistry } from '../../store/instrument-registry.ts';
import { outcomeCharts, type AllianceView, type OutcomeView } from './episode-view.ts';
import { dateText } from './caseload-page.ts';
import { fbText } from './texts.ts';
import { manageSections, type ManageInput } from '../practice/episode-sections.ts';
import { pxText } from '../practice/texts.ts';

type Bilingual = { nl: string; en: string };
interface AlertRow {
  id: string;
  rule: string;
  severity: string;
  reason: unknown;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledgement_note: string | null;
  acknowledged_by_name?: string | null;
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
  manage?: ManageInput;
  /** After a bulk acknowledgement without a selection ('none') or a note ('note'). */
  alertProblem?: string | null;
  status: string;
  outcomes: OutcomeView[];
  alliance: AllianceView[];
  alerts: AlertRow[];
  latestResponses: ResponseRow[];
  registry: InstrumentRegistry;
}

/** The participant an alert is about, by the participantId in its reason. */
export function alertParticipant(
  alert: { reason: unknown },
  participants: ReadonlyArray<{ id: string; label: string }>,
) {
  const id = (alert.reason as { participantId?: string } | null)?.participantId;
  const index = participants.findIndex((p) => p.id === id);
  return index < 0 ? null : { label: participants[index].label, index };
}

function alertCard(
  lang: Lang,
  alert: AlertRow,
  participants: ReadonlyArray<{ id: string; label: string }>,
  selectable: boolean,
): SafeHtml {
  const reason = alert.reason as Bilingual & { suggestions?: Bilingual[] };
  const t = (key: Parameters<typeof fbText>[1], params?: Record<string, string | number>) => fbText(lang, key, params);
  const who = participants.length > 1 ? alertParticipant(alert, participants) : null;
  const title = t(`rule.${alert.rule}` as Parameters<typeof fbText>[1]);
  return html`<article class="card alert alert-${alert.severity}" data-rule="${alert.rule}">
    <h3>
      ${
        selectable
          ? html`<input type="checkbox" name="alertId" value="${alert.id}" id="sel-${alert.id}" form="ack-form" />
              <label for="sel-${alert.id}"
                >${title}${who ? html` · <span class="who who-${who.index % 6}">${who.label}</span>` : null}</label
              >`
          : html`${title}${who ? html` · ${who.label}` : null}`
      }
    </h3>
    ${who ? html`<p class="muted" data-testid="alert-participant">${pxText(lang, 'alerts.participant', { who: who.label })}</p>` : null}
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
        ? html`<p class="muted" data-testid="handled">
            ${pxText(lang, 'alerts.handledBy', { who: alert.acknowledged_by_name ?? '–', date: dateText(lang, alert.acknowledged_at), note: alert.acknowledgement_note ?? '' })}
          </p>`
        : null
    }
  </article>`;
}

function dataTable(lang: Lang, view: OutcomeView): SafeHtml {
  const sessions = [...new Set(view.series.flatMap((s) => s.points.map((p) => p.session)))].sort((a, b) => a - b);
  const t = (key: Parameters<typeof fbText>[1]) => fbText(lang, key);
  const withExpected = view.series.some((s) => s.expected.length > 0);
  return html`<details>
    <summary>${t('episode.dataTable')}</summary>
    <table>
      <thead>
        <tr>
          <th scope="col">${t('chart.session')}</th>
          ${view.series.map(
            (s) =>
              html`<th scope="col">${s.label}</th>
                ${
                  withExpected
                    ? html`<th scope="col">${s.label}: ${t('chart.expected')} (${t('chart.band')})</th>`
                    : null
                }`,
          )}
        </tr>
      </thead>
      <tbody>
        ${sessions.map(
          (session) =>
            html`<tr>
              <th scope="row">${session}</th>
              ${view.series.map((s) => {
                const e = s.expected.find((x) => x.session === session);
                return html`<td>${s.points.find((p) => p.session === session)?.value ?? '–'}</td>
                  ${
                    withExpected
                      ? html`<td>
                          ${
                            e
                              ? `${formatDecimal(e.mean, lang, 1, { wholeAsIs: true })} (${formatDecimal(Math.max(0, e.lower), lang, 1, { wholeAsIs: true })}–${formatDecimal(Math.min(view.yMax, e.upper), lang, 1, { wholeAsIs: true })})`
                              : '–'
                          }
                        </td>`
                      : null
                  }`;
              })}
            </tr>`,
        )}
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

/** One instrument's latest answers; the languages mark text that differs from the page's (WCAG 3.1.2). */
export interface AnswerBlock {
  title: string;
  titleLang: string;
  rows: Array<[string, string]>;
  langs: Array<[string, string]>;
}

/** The latest answers per participant and instrument, item text next to the answer, for page and PDF. */
export function answerBlocks(
  lang: Lang,
  rows: ResponseRow[],
  registry: InstrumentRegistry,
  participants: Array<{ id: string; label: string }>,
): AnswerBlock[] {
  const seen = new Set<string>();
  const latest = rows.filter((r) => {
    const key = `${r.instrument_id}:${r.participant_id}`;
    if (seen.has(key) || !registry.has(r.instrument_id)) return false;
    seen.add(key);
    return true;
  });
  return latest.map((r) => {
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
    const answered = qr.item ?? [];
    const cells = answered.map((one) => {
      const item = items.get(one.linkId);
      const text = item ? itemText(item as never, lang, policy, { acceptUnverified: true }) : null;
      const a = one.answer?.[0] ?? {};
      const coding = a.valueCoding as { code?: string; display?: string; _display?: unknown } | undefined;
      const picked = coding
        ? pickText(coding.display, coding._display, lang, policy, { acceptUnverified: true })
        : null;
      const shown = coding
        ? (picked?.text ?? coding.code ?? '')
        : String(a.valueInteger ?? a.valueDecimal ?? a.valueString ?? '');
      return {
        row: [text?.text ?? one.linkId, shown] as [string, string],
        langs: [text?.lang ?? lang, picked?.lang ?? lang] as [string, string],
      };
    });
    return {
      title: `${title?.text ?? scorer.instrumentId} · ${fbText(lang, 'session.n', { n: r.session_number })} · ${label}`,
      titleLang: title?.lang ?? lang,
      rows: cells.map((c) => c.row),
      langs: cells.map((c) => c.langs),
    };
  });
}

function lastResponses(
  lang: Lang,
  rows: ResponseRow[],
  registry: InstrumentRegistry,
  participants: Array<{ id: string; label: string }>,
): SafeHtml {
  return html`${answerBlocks(lang, rows, registry, participants).map(
    (block) =>
      html`<h3>${inLang(lang, block.title, block.titleLang, false)}</h3>
        <table>
          <tbody>
            ${block.rows.map(
              ([q, a], i) =>
                html`<tr>
                  <th scope="row">${inLang(lang, q, block.langs[i][0], true)}</th>
                  <td>${inLang(lang, a, block.langs[i][1], false)}</td>
                </tr>`,
            )}
          </tbody>
        </table>`,
  )}`;
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
        input.alertProblem
          ? html`<p class="error" role="alert">
              ${pxText(lang, input.alertProblem === 'note' ? 'alerts.noteRequired' : 'alerts.noneSelected')}
            </p>`
          : null
      }
      ${
        open.length
          ? html`${latestPerRule(open).map(
              ({ latest, older }) =>
                html`${alertCard(lang, latest, episode.participants, true)}${
                  older.length
                    ? html`<details class="older-alerts">
                          <summary>${t('episode.olderAlerts', { n: older.length })}</summary>
                          ${older.map((a) => alertCard(lang, a, episode.participants, true))}
                        </details>`
                    : null
                }`,
            )}
              <form method="post" action="/app/alerts/acknowledge" id="ack-form" class="card no-print">
                <input type="hidden" name="_csrf" value="${input.csrfToken}" />
                <input type="hidden" name="back" value="${episode.id}" />
                <label for="ack-note">${pxText(lang, 'alerts.noteFor')}</label>
                <textarea id="ack-note" name="note" rows="2" maxlength="2000"></textarea>
                <p><button type="submit">${pxText(lang, 'alerts.handleSelected')}</button></p>
              </form>`
          : html`<p>${t('episode.noAlerts')}</p>`
      }
      ${
        closed.length
          ? html`<details data-testid="alert-history">
              <summary>${pxText(lang, 'alerts.history', { n: closed.length })}</summary>
              ${closed.map((a) => alertCard(lang, a, episode.participants, false))}
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
        ${outcomeCharts(o, title).map(
          (c) =>
            html`<figure data-testid="progress-chart" data-participant="${c.participant?.label ?? ''}">
              ${o.series.length > 1 ? html`<figcaption class="who-${o.series.indexOf(c.participant!) % 6}">${c.participant?.label}</figcaption>` : null}
              ${raw(progressChartSvg({ lang, title: c.title, ...c.chart }))}
            </figure>`,
        )}
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
    ${planGaps(lang, episode.plans ?? [], input.registry)} ${input.manage ? manageSections(input.manage) : null}`;
}
