import type { EChartsOption } from 'echarts';
import { echartsLib } from './echarts.ts';

/**
 * Renders an ECharts option to SVG on the server, so the page, print and PDF share one spec. The
 * strict CSP forbids style attributes, so ECharts' inline text styles become presentation attributes.
 */
export function renderSvg(option: EChartsOption, width: number, height: number, label: string): string {
  const chart = echartsLib().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    return cspSafe(chart.renderToSVGString(), label);
  } finally {
    chart.dispose();
  }
}

export function cspSafe(svg: string, label: string): string {
  const escaped = label.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return svg
    .replace(/ style="([^"]*)"/g, (_, css: string) =>
      css
        .split(';')
        .map((rule) => rule.trim())
        .filter(Boolean)
        .map((rule) => {
          const [prop, ...rest] = rule.split(':');
          return ` ${prop.trim()}="${rest.join(':').trim().replace(/"/g, '&quot;')}"`;
        })
        .join(''),
    )
    .replace(/^<svg /, `<svg role="img" aria-label="${escaped}" focusable="false" `);
}
