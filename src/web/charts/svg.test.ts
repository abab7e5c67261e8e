import { describe, expect, it } from 'vitest';
import { cspSafe, renderSvg } from './svg.ts';

describe('server-side SVG charts', () => {
  it('turns inline styles into attributes and labels the image', () => {
    expect(
      cspSafe('<svg width="1"><text style="font-size:12px;font-family:sans-serif;">a</text></svg>', 'A "chart"'),
    ).toBe(
      '<svg role="img" aria-label="A &quot;chart&quot;" focusable="false" width="1"><text font-size="12px" font-family="sans-serif">a</text></svg>',
    );
  });
  it('renders a line chart without style attributes', () => {
    const svg = renderSvg(
      {
        xAxis: { type: 'value' },
        yAxis: { type: 'value' },
        series: [
          {
            type: 'line',
            data: [
              [1, 2],
              [2, 3],
            ],
          },
        ],
      },
      300,
      200,
      'test',
    );
    expect(svg).toMatch(/^<svg role="img"/);
    expect(svg).not.toContain('style="');
  });
});
