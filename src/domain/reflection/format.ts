import { formatDecimal } from '../format.ts';
import type { AnswerValue, LocalText, SelfCheckItem } from './types.ts';

export type Lang = 'nl' | 'en';

export function formatSigned(value: number, lang: Lang, decimals = 0): string {
  const text = formatDecimal(Math.abs(value), lang, decimals);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

export function formatDate(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Amsterdam',
  }).format(date);
}

export function text(value: LocalText, lang: Lang): string {
  return value[lang];
}

/** An answer as the person would read it back. */
export function formatAnswer(item: SelfCheckItem, value: AnswerValue | undefined, lang: Lang): string {
  if (value === undefined) return lang === 'nl' ? '—' : '—';
  const input = item.input;
  switch (input.kind) {
    case 'yesno':
      return value === true ? (lang === 'nl' ? 'ja' : 'yes') : lang === 'nl' ? 'nee' : 'no';
    case 'scale':
      return `${value} (${input.min}–${input.max})`;
    case 'number':
      return typeof value === 'number'
        ? `${formatDecimal(value, lang, Number.isInteger(value) ? 0 : 1)} ${input.unit[lang]}`.trim()
        : String(value);
    case 'choice':
      return input.options.find((o) => o.code === value)?.label[lang] ?? String(value);
    case 'checks':
      return String(value)
        .split(',')
        .map((code) => input.options.find((o) => o.code === code)?.label[lang] ?? code)
        .join('; ');
    case 'text':
      return String(value);
  }
}
