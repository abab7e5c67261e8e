import { formatDecimal } from '../../domain/format.ts';
import type { EChartsOption } from 'echarts';
import type { Lang } from '../../web/i18n.ts';
import { renderSvg } from '../../web/charts/svg.ts';
import type { Guarded, ManagerDashboard } from '../../store/dashboards/query.ts';
import type { Minima } from '../../domain/dashboards/protection.ts';
import type { OutcomeInstrumentInfo } from '../../store/dashboards/instruments.ts';
import { dbText } from './texts.ts';

/**
 * One description of the dashboard for the page, the CSV and the PDF: rows of figures (each either a
 * value or the plain-language reason it is withheld) and the chart specs, rendered to the same SVG.
 */
export interface FigureRow {
  section: string;
  group: string;
  figure: string;
  value: string | null;
  suppressed: string | null;
}

export type Key = Parameters<typeof dbText>[1];

export const pct = (lang: Lang, v: number | null) => (v === null ? '–' : `${formatDecimal(v * 100, lang, 0)}%`);

export function suppressedText(lang: Lang, reason: string, minima: Minima): string {
  return dbText(lang, `suppressed.${reason}` as Key, { therapists: minima.therapists, episodes: minima.episodes });
}

export function dashboardRows(
  lang: Lang,
  d: ManagerDashboard,
  minima: Minima,
  followUpHours: number,
  instrument: OutcomeInstrumentInfo | undefined,
  all: string,
): FigureRow[] {
  const t = (key: Key, params?: Record<string, string | number>) => dbText(lang, key, params);
  const rows: FigureRow[] = [];
  const add = <T>(
    section: string,
    group: string,
    g: Guarded<T>,
    figures: (v: T) => Array<[string, string]>,
    names: string[],
  ) => {
    if (g.shown)
      for (const [figure, value] of figures(g.value)) rows.push({ section, group, figure, value, suppressed: null });
    else
      for (const figure of names)
        rows.push({ section, group, figure, value: null, suppressed: suppressedText(lang, g.reason, minima) });
  };
  const bandLabel = (code: string) => instrument?.bands.find((b) => b.code === code)?.label[lang] ?? code;
  const outcomeNames = [
    t('outcome.ended'),
    t('outcome.paired'),
    t('outcome.dropout'),
    t('class.recovered'),
    t('class.improved'),
    t('class.unchanged'),
    t('class.deteriorated'),
    t('outcome.onTrack'),
    t('outcome.effect'),
  ];
  add(
    t('outcome.title'),
    all,
    d.outcome.main,
    (f) => [
      [t('outcome.ended'), String(f.ended)],
      [t('outcome.paired'), String(f.paired)],
      [t('outcome.dropout'), pct(lang, f.dropoutShare)],
      [t('class.recovered'), `${pct(lang, f.classes.recovered.share)} (${f.classes.recovered.count})`],
      [t('class.improved'), `${pct(lang, f.classes.improved.share)} (${f.classes.improved.count})`],
      [t('class.unchanged'), `${pct(lang, f.classes.unchanged.share)} (${f.classes.unchanged.count})`],
      [t('class.deteriorated'), `${pct(lang, f.classes.deteriorated.share)} (${f.classes.deteriorated.count})`],
      [t('outcome.onTrack'), `${pct(lang, f.onTrackShare)} (n = ${f.trackJudged})`],
      [
        t('outcome.effect'),
        f.effect
          ? `${formatDecimal(f.effect.dz, lang, 2)} (${formatDecimal(f.effect.ci[0], lang, 2)} – ${formatDecimal(f.effect.ci[1], lang, 2)})`
          : '–',
      ],
      ...f.intakeBands.map((b): [string, string] => [
        `${t('casemix.severity')}: ${bandLabel(b.band)}`,
        `${pct(lang, b.share)} (${b.count})`,
      ]),
    ],
    outcomeNames,
  );
  for (const m of d.outcome.modalities)
    add(
      t('casemix.title'),
      t(`modality.${m.modality}` as Key),
      m.figures,
      (f) => [[t('casemix.modality'), `${pct(lang, f.share)} (${f.ended})`]],
      [t('casemix.modality')],
    );
  const activityNames = [
    t('reach.sent'),
    t('reach.opened'),
    t('reach.completed'),
    t('reach.measured'),
    t('follow.alerts'),
    t('follow.handled'),
    t('follow.inTime', { hours: followUpHours }),
    t('follow.meanHours'),
  ];
  add(
    `${t('reach.title')} / ${t('follow.title')}`,
    all,
    d.activity.main,
    (f) => [
      [t('reach.sent'), String(f.invitationsSent)],
      [t('reach.opened'), `${pct(lang, f.openedShare)} (${f.invitationsOpened})`],
      [t('reach.completed'), `${pct(lang, f.completedShare)} (${f.invitationsCompleted})`],
      [t('reach.measured'), `${pct(lang, f.measuredShare)} (n = ${f.sessionsHeld})`],
      [t('follow.alerts'), String(f.alerts)],
      [t('follow.handled'), pct(lang, f.handledShare)],
      [t('follow.inTime', { hours: followUpHours }), pct(lang, f.handledInTimeShare)],
      [
        t('follow.meanHours'),
        f.meanHandlingHours === null ? '–' : t('follow.hours', { n: formatDecimal(f.meanHandlingHours, lang, 0) }),
      ],
    ],
    activityNames,
  );
  for (const p of d.outcome.trend)
    add(
      t('trend.title'),
      p.quarter,
      p.figures,
      (f) => [
        [t('trend.improved'), pct(lang, share(f.classes.recovered.count + f.classes.improved.count, f.paired))],
        [t('trend.deteriorated'), pct(lang, f.classes.deteriorated.share)],
      ],
      [t('trend.improved'), t('trend.deteriorated')],
    );
  for (const p of d.activity.trend)
    add(
      t('trend.title'),
      p.quarter,
      p.figures,
      (f) => [
        [t('trend.completed'), pct(lang, f.completedShare)],
        [t('trend.inTime'), pct(lang, f.handledInTimeShare)],
      ],
      [t('trend.completed'), t('trend.inTime')],
    );
  return rows;
}

const share = (a: number, b: number) => (b > 0 ? a / b : null);

/** The change-class bar chart (one spec: page and PDF). Null when the figure is withheld. */
export function classesChart(lang: Lang, d: ManagerDashboard): string | null {
  if (!d.outcome.main.shown) return null;
  const f = d.outcome.main.value;
  const classes = ['recovered', 'improved', 'unchanged', 'deteriorated'] as const;
  const option: EChartsOption = {
    grid: { left: 48, right: 16, top: 24, bottom: 40 },
    xAxis: { type: 'category', data: classes.map((c) => dbText(lang, `class.${c}`)) },
    yAxis: { type: 'value', max: 100, name: '%' },
    series: [
      {
        type: 'bar',
        data: classes.map((c, i) => ({
          value: Math.round((f.classes[c].share ?? 0) * 100),
          itemStyle: { color: ['#1b6e3c', '#4f8f5f', '#7a7f87', '#a33a2b'][i] },
        })),
        label: { show: true, position: 'top', formatter: '{c}%' },
      },
    ],
  };
  return renderSvg(option, 560, 240, dbText(lang, 'chart.classes'));
}

/** The trend chart by quarter; withheld quarters are gaps, never zeros. */
export function trendChart(lang: Lang, d: ManagerDashboard): string | null {
  const quarters = [
    ...new Set([...d.outcome.trend.map((p) => p.quarter), ...d.activity.trend.map((p) => p.quarter)]),
  ].sort();
  if (quarters.length === 0) return null;
  const at = <T>(list: Array<{ quarter: string; figures: Guarded<T> }>, q: string, f: (v: T) => number | null) => {
    const p = list.find((x) => x.quarter === q);
    const v = p && p.figures.shown ? f(p.figures.value) : null;
    return v === null ? null : Math.round(v * 100);
  };
  const option: EChartsOption = {
    grid: { left: 48, right: 16, top: 40, bottom: 40 },
    legend: { top: 0 },
    xAxis: { type: 'category', data: quarters },
    yAxis: { type: 'value', max: 100, name: '%' },
    series: [
      {
        name: dbText(lang, 'trend.improved'),
        type: 'line',
        connectNulls: false,
        data: quarters.map((q) =>
          at(d.outcome.trend, q, (f) => share(f.classes.recovered.count + f.classes.improved.count, f.paired)),
        ),
      },
      {
        name: dbText(lang, 'trend.deteriorated'),
        type: 'line',
        data: quarters.map((q) => at(d.outcome.trend, q, (f) => f.classes.deteriorated.share)),
      },
      {
        name: dbText(lang, 'trend.completed'),
        type: 'line',
        data: quarters.map((q) => at(d.activity.trend, q, (f) => f.completedShare)),
      },
      {
        name: dbText(lang, 'trend.inTime'),
        type: 'line',
        data: quarters.map((q) => at(d.activity.trend, q, (f) => f.handledInTimeShare)),
      },
    ],
  };
  return renderSvg(option, 640, 280, dbText(lang, 'chart.trend'));
}
