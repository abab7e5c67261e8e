import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FORM_STYLE, FORM_STYLE_SOURCE, formCsp } from './style.ts';
import { invalidLinkPage } from './page.ts';

describe('inline form stylesheet', () => {
  it('adds the hash of the exact inline stylesheet to style-src only', () => {
    const csp = "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:";
    expect(formCsp(csp)).toBe(
      `default-src 'self';script-src 'self';style-src 'self' ${FORM_STYLE_SOURCE};img-src 'self' data:`,
    );
    const page = invalidLinkPage('nl');
    const inline = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1];
    expect(inline).toBe(FORM_STYLE);
    expect(FORM_STYLE_SOURCE).toBe(`'sha256-${createHash('sha256').update(inline!).digest('base64')}'`);
    expect(page).not.toContain('/static/form.css');
  });
});
