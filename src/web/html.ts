/** Escaped HTML templating: every interpolated value is escaped unless it is already `SafeHtml`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (value instanceof SafeHtml) return value.value;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Marks trusted markup (for example an SVG rendered by ECharts on the server) as safe. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * Text in another language than the page (an instrument's original wording, a study's own Dutch
 * title on an English page) carries its language, so screen readers switch (WCAG 3.1.2).
 */
export function inLanguage(text: string, textLang: string, pageLang: string): SafeHtml {
  return textLang.split('-')[0] === pageLang ? html`${text}` : html`<span lang="${textLang}">${text}</span>`;
}
