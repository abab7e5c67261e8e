import { echartsLib } from '../../web/charts/echarts.ts';

/**
 * Server-side charts: ECharts renders to an SVG string (no browser, no script), so the same spec can
 * serve the page and a PDF. Each chart on a page comes with a data table as its text alternative.
 */

const WIDTH = 720;
const HEIGHT = 260;
const INK = '#1b1f24';
const ACCENT = '#1d5c8f';

function render(option: Record<string, unknown>): string {
  const chart = echartsLib().init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({ animation: false, textStyle: { color: INK, fontFamily: 'system-ui, sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Bars per category (practice minutes per week). */
export function barChartSvg(categories: string[], values: number[], yName: string): string {
  return render({
    grid: { left: 56, right: 16, top: 28, bottom: 48 },
    xAxis: { type: 'category', data: categories, axisLabel: { rotate: 45, fontSize: 10, color: INK } },
    yAxis: {
      type: 'value',
      name: yName,
      minInterval: 1,
      axisLabel: { color: INK },
      nameTextStyle: { color: INK, align: 'left' },
    },
    series: [{ type: 'bar', data: values, itemStyle: { color: ACCENT } }],
  });
}

/** A line with gaps for missing values (monthly outcome trend), with a zero line. */
export function lineChartSvg(categories: string[], values: Array<number | null>, yName: string): string {
  return render({
    grid: { left: 56, right: 16, top: 28, bottom: 40 },
    xAxis: { type: 'category', data: categories, axisLabel: { color: INK } },
    yAxis: { type: 'value', name: yName, axisLabel: { color: INK }, nameTextStyle: { color: INK, align: 'left' } },
    series: [
      {
        type: 'line',
        data: values.map((v) => (v === null ? '-' : Math.round(v * 100) / 100)),
        connectNulls: false,
        symbolSize: 6,
        lineStyle: { color: ACCENT, width: 2 },
        itemStyle: { color: ACCENT },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#6b7480', type: 'dashed' },
          data: [{ yAxis: 0 }],
          label: { show: false },
        },
      },
    ],
  });
}
