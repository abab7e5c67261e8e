import type { EChartsOption } from 'echarts';
import type { Lang } from '../i18n.ts';
import { renderSvg } from './svg.ts';

export interface ProgressChartInput {
  lang: Lang;
  title: string;
  yMin: number;
  yMax: number;
  /** One line per participant. */
  series: Array<{ label: string; colour?: string; points: Array<{ session: number; value: number }> }>;
  cutoff: number | null;
  /** Scores between these bounds are within reliable change of the intake score. */
  reliableBand: { lower: number; upper: number } | null;
  expected: Array<{ session: number; mean: number; lower: number; upper: number }>;
  alerts: Array<{ session: number; value: number; label: string }>;
}

const T = {
  session: { nl: 'Sessie', en: 'Session' },
  expected: { nl: 'Verwacht verloop', en: 'Expected course' },
  band: { nl: 'Tolerantieband', en: 'Tolerance band' },
  cutoff: { nl: 'Klinisch afkappunt', en: 'Clinical cut-off' },
  reliable: { nl: 'Geen betrouwbare verandering t.o.v. intake', en: 'No reliable change from intake' },
  alert: { nl: 'Signaal', en: 'Alert' },
};

/** The progress chart of one outcome scale: scores, cut-off, reliable-change band, expected band, alerts. */
export function progressChartSvg(input: ProgressChartInput): string {
  const { lang } = input;
  const maxSession = Math.max(
    2,
    ...input.series.flatMap((s) => s.points.map((p) => p.session)),
    ...input.expected.map((e) => e.session),
  );
  const palette = ['#1d5c8f', '#8a4b00', '#5b2a86', '#1e6b3a'];
  const option: EChartsOption = {
    color: palette,
    grid: { left: 48, right: 24, top: 40, bottom: 48 },
    legend: { top: 4, textStyle: { fontSize: 12 } },
    xAxis: {
      type: 'value',
      min: 1,
      max: maxSession,
      minInterval: 1,
      name: T.session[lang],
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: { type: 'value', min: input.yMin, max: input.yMax },
    series: [
      ...(input.expected.length
        ? [
            {
              name: T.band[lang],
              type: 'line' as const,
              data: input.expected.map((e) => [e.session, Math.max(input.yMin, e.lower)]),
              stack: 'band',
              lineStyle: { opacity: 0 },
              symbol: 'none',
              silent: true,
            },
            {
              name: T.band[lang],
              type: 'line' as const,
              data: input.expected.map((e) => [
                e.session,
                Math.min(input.yMax, e.upper) - Math.max(input.yMin, e.lower),
              ]),
              stack: 'band',
              lineStyle: { opacity: 0 },
              areaStyle: { color: '#c9dcec' },
              symbol: 'none',
              silent: true,
            },
            {
              name: T.expected[lang],
              type: 'line' as const,
              data: input.expected.map((e) => [e.session, e.mean]),
              lineStyle: { type: 'dashed' as const, color: '#4a5360' },
              itemStyle: { color: '#4a5360' },
              symbol: 'none',
            },
          ]
        : []),
      ...input.series.map((s, i) => ({
        name: s.label,
        type: 'line' as const,
        data: s.points.map((p) => [p.session, p.value]),
        symbolSize: 7,
        lineStyle: { width: 2.5, color: s.colour ?? palette[i % palette.length] },
        itemStyle: { color: s.colour ?? palette[i % palette.length] },
        ...(i === 0
          ? {
              markLine:
                input.cutoff === null
                  ? undefined
                  : {
                      symbol: 'none',
                      silent: true,
                      label: { formatter: T.cutoff[lang], position: 'insideEndTop' as const },
                      lineStyle: { color: '#a4161a', type: 'dotted' as const },
                      data: [{ yAxis: input.cutoff }],
                    },
              markArea:
                input.reliableBand === null
                  ? undefined
                  : {
                      silent: true,
                      itemStyle: { color: 'rgba(180,180,180,0.18)' },
                      label: { show: false },
                      data: [
                        [
                          { yAxis: input.reliableBand.lower, name: T.reliable[lang] },
                          { yAxis: input.reliableBand.upper },
                        ],
                      ],
                    },
            }
          : {}),
      })),
      ...(input.alerts.length
        ? [
            {
              name: T.alert[lang],
              type: 'scatter' as const,
              symbol: 'triangle',
              symbolSize: 14,
              itemStyle: { color: '#a4161a' },
              data: input.alerts.map((a) => [a.session, a.value]),
            },
          ]
        : []),
    ],
  } as EChartsOption;
  return renderSvg(option, 720, 320, input.title);
}

export function allianceChartSvg(
  lang: Lang,
  title: string,
  items: Array<{ label: string; colour?: string; points: Array<{ session: number; value: number }> }>,
  lowThreshold: number,
  max: number,
): string {
  const maxSession = Math.max(2, ...items.flatMap((s) => s.points.map((p) => p.session)));
  return renderSvg(
    {
      color: ['#1d5c8f', '#8a4b00', '#5b2a86', '#1e6b3a', '#4a5360'],
      grid: { left: 48, right: 56, top: 40, bottom: 48 },
      legend: { top: 4 },
      xAxis: {
        type: 'value',
        min: 1,
        max: maxSession,
        minInterval: 1,
        name: T.session[lang],
        nameLocation: 'middle',
        nameGap: 28,
      },
      yAxis: { type: 'value', min: 0, max },
      series: items.map((s, i) => ({
        name: s.label,
        type: 'line',
        data: s.points.map((p) => [p.session, p.value]),
        lineStyle: { width: i === 0 || s.colour ? 3 : 1.5, ...(s.colour ? { color: s.colour } : {}) },
        ...(s.colour ? { itemStyle: { color: s.colour } } : {}),
        ...(i === 0
          ? {
              markLine: {
                symbol: 'none',
                silent: true,
                lineStyle: { color: '#a4161a', type: 'dotted' },
                label: { formatter: lang === 'nl' ? 'Laag' : 'Low' },
                data: [{ yAxis: lowThreshold }],
              },
            }
          : {}),
      })),
    } as EChartsOption,
    720,
    280,
    title,
  );
}
