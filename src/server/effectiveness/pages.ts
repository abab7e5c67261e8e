import { formatDecimal } from '../../domain/format.ts';
import type { EChartsOption } from 'echarts';
import { html, raw, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { renderSvg } from '../../web/charts/svg.ts';
import {
  effectHistogram,
  MIN_EPISODES_PER_THERAPIST,
  MIN_THERAPISTS_FOR_REPORT,
  reportAllowed,
  type EffectsSummary,
  type TherapistEstimate,
} from '../../domain/feedback/effects.ts';
import { dateText } from '../feedback/caseload-page.ts';
import { efText } from './texts.ts';

function histogramSvg(lang: Lang, effects: number[], own: number | null, title: string): string {
  const bins = effectHistogram(effects);
  const ownBin =
    own === null
      ? -1
      : bins.findIndex((b) => own >= b.from && own < b.to) === -1
        ? bins.length - 1
        : bins.findIndex((b) => own >= b.from && own < b.to);
  const option: EChartsOption = {
    grid: { left: 48, right: 16, top: 24, bottom: 56 },
    xAxis: {
      type: 'category',
      data: bins.map((b) => `${formatDecimal(b.from, lang, 1)}…${formatDecimal(b.to, lang, 1)}`),
      name: efText(lang, 'chart.effect'),
      nameLocation: 'middle',
      nameGap: 36,
      axisLabel: { fontSize: 10 },
    },
    yAxis: { type: 'value', minInterval: 1, name: efText(lang, 'chart.therapists') },
    series: [
      {
        type: 'bar',
        data: bins.map((b, i) => ({ value: b.count, itemStyle: { color: i === ownBin ? '#8a4b00' : '#9db8cf' } })),
        label: {
          show: true,
          position: 'top',
          formatter: (p: { dataIndex: number }) => (p.dataIndex === ownBin ? efText(lang, 'mirror.you') : ''),
        },
      },
    ],
  } as EChartsOption;
  return renderSvg(option, 640, 260, title);
}

function estimateText(lang: Lang, e: TherapistEstimate, direction: EffectsSummary['direction']): string {
  const favourableIsLower = direction === 'higher-is-worse';
  return (
    efText(lang, 'mirror.estimate', {
      effect: formatDecimal(Math.abs(e.effect), lang, 1),
      direction: efText(lang, e.effect < 0 ? 'mirror.lower' : 'mirror.higher'),
      lower: formatDecimal(e.lower, lang, 1),
      upper: formatDecimal(e.upper, lang, 1),
    }) + (favourableIsLower ? '' : '')
  );
}

export function mirrorBody(
  lang: Lang,
  summary: EffectsSummary | null,
  therapistId: string,
  instrumentTitle: string,
): SafeHtml {
  const t = (key: Parameters<typeof efText>[1], params?: Record<string, string | number>) => efText(lang, key, params);
  if (!summary)
    return html`<h1>${t('mirror.title')}</h1>
      <p class="notice">${t('mirror.private')}</p>
      <p>${t('mirror.none')}</p>`;
  const own = summary.estimates.find((e) => e.therapistId === therapistId) ?? null;
  const eligible = own !== null && own.episodes >= MIN_EPISODES_PER_THERAPIST;
  return html`<h1>${t('mirror.title')}</h1>
    <p class="notice">${t('mirror.private')}</p>
    ${
      eligible && own
        ? html`<section class="card" data-testid="mirror-estimate">
              <p>${estimateText(lang, own, summary.direction)}</p>
              <p><strong>${t(`mirror.verdict.${own.verdict}`)}</strong></p>
              <p class="muted">
                ${t('mirror.basis', { n: own.episodes, instrument: instrumentTitle, from: dateText(lang, summary.dataWindow.from), to: dateText(lang, summary.dataWindow.to), date: dateText(lang, summary.fittedAt) })}
              </p>
            </section>
            <section class="card chart">
              <h2>${t('mirror.distribution')}</h2>
              ${raw(
                histogramSvg(
                  lang,
                  summary.estimates.map((e) => e.effect),
                  own.effect,
                  t('mirror.distribution'),
                ),
              )}
            </section>
            <section class="card">
              <h2>${t('mirror.strata')}</h2>
              ${summary.strata.map((s) => {
                const mine = s.estimates.find((e) => e.therapistId === therapistId);
                return html`<h3>${s.label[lang]}</h3>
                  ${
                    mine && mine.episodes >= 3
                      ? html`<p>${estimateText(lang, mine, summary.direction)}</p>
                          <p class="muted">${t(`mirror.verdict.${mine.verdict}`)} (n = ${mine.episodes})</p>`
                      : html`<p class="muted">${t('mirror.notEnough', { n: mine?.episodes ?? 0, min: 3 })}</p>`
                  }`;
              })}
            </section>`
        : html`<p class="card" data-testid="mirror-not-enough">
            ${t('mirror.notEnough', { n: own?.episodes ?? 0, min: MIN_EPISODES_PER_THERAPIST })}
          </p>`
    }
    <section class="card">
      <h2>${t('mirror.uncertainty.title')}</h2>
      <p>${t('mirror.uncertainty')}</p>
      <p><em>${t('mirror.doubt')}</em></p>
    </section>`;
}

export function organisationBody(
  lang: Lang,
  summary: EffectsSummary | null,
  csrfToken: string,
  queued: boolean,
): SafeHtml {
  const t = (key: Parameters<typeof efText>[1], params?: Record<string, string | number>) => efText(lang, key, params);
  const refresh = html`<form method="post" action="/app/organisation/refresh" class="no-print">
      <input type="hidden" name="_csrf" value="${csrfToken}" /><button type="submit" class="secondary">
        ${t('org.refresh')}
      </button>
    </form>
    ${queued ? html`<p class="notice" role="status">${t('org.queued')}</p>` : null}`;
  if (!summary || !reportAllowed(summary)) {
    return html`<h1>${t('org.title')}</h1>
      <p>${t('org.tooFew', { min: MIN_THERAPISTS_FOR_REPORT, per: MIN_EPISODES_PER_THERAPIST })}</p>
      <p class="muted">${t('org.noRanking')}</p>
      ${refresh}`;
  }
  const pct = (v: number) => `${formatDecimal(v * 100, lang, 1)}%`;
  return html`<h1>${t('org.title')}</h1>
    <section class="card" data-testid="org-icc">
      <p>
        ${t('org.icc', { icc: pct(summary.icc), lower: summary.iccCi95 ? pct(summary.iccCi95[0]) : '–', upper: summary.iccCi95 ? pct(summary.iccCi95[1]) : '–' })}
      </p>
      <p class="muted">
        ${t('org.basis', { episodes: summary.episodes, therapists: summary.therapists, eligible: summary.eligibleTherapists, min: MIN_EPISODES_PER_THERAPIST })}
      </p>
    </section>
    <section class="card chart">
      <h2>${t('mirror.distribution')}</h2>
      ${raw(
        histogramSvg(
          lang,
          summary.estimates.map((e) => e.effect),
          null,
          t('mirror.distribution'),
        ),
      )}
    </section>
    <p class="muted">${t('org.noRanking')}</p>
    ${refresh}`;
}
