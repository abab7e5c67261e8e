import { describe, expect, it } from 'vitest';
import { html, raw } from './html.ts';

describe('html', () => {
  it('escapes interpolated text', () => {
    expect(html`<p>${'<script>"x"&\''}</p>`.value).toBe('<p>&lt;script&gt;&quot;x&quot;&amp;&#39;</p>');
  });
  it('keeps nested safe fragments and skips empty values', () => {
    const items = ['a', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}${null}${false}${raw('<hr>')}</ul>`.value).toBe('<ul><li>a</li><li>b</li><hr></ul>');
  });
});
