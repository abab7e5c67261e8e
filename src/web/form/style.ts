import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

// The form's stylesheet goes inline: a separate file is a second round trip before the first paint,
// which on a slow mobile link (DevTools "Slow 4G": 562.5 ms per request) alone costs over half a
// second. The CSP allows exactly this stylesheet by its hash; 'unsafe-inline' stays off.

/** The client form's CSS (src/web/static/form.css), read once at start. */
export const FORM_STYLE = readFileSync(new URL('../static/form.css', import.meta.url), 'utf8');

/** The CSP source that allows FORM_STYLE in a <style> element. */
export const FORM_STYLE_SOURCE = `'sha256-${createHash('sha256').update(FORM_STYLE).digest('base64')}'`;

/** The app's Content-Security-Policy with the form's inline stylesheet added to style-src. */
export function formCsp(csp: string): string {
  return csp.replace(
    /(^|;)(\s*)style-src ([^;]*)/,
    (_m, sep: string, space: string, sources: string) => `${sep}${space}style-src ${sources} ${FORM_STYLE_SOURCE}`,
  );
}
