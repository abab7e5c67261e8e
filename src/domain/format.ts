export type Lang = 'nl' | 'en';

/**
 * The one decimal formatter: fixed decimals, the decimal comma in Dutch, never "-0.0". With `wholeAsIs`
 * a whole number keeps no decimals (a score of 12 stays "12"); with `leadingZero: false` "0.04" becomes
 * ".04", as APA asks for statistics bounded by 1.
 */
export function formatDecimal(
  value: number,
  lang: Lang,
  decimals: number,
  options?: { leadingZero?: boolean; wholeAsIs?: boolean },
): string {
  let s = options?.wholeAsIs && Number.isInteger(value) ? String(value) : value.toFixed(decimals);
  if (/^-0(\.0*)?$/.test(s)) s = s.slice(1);
  if (options?.leadingZero === false) s = s.replace(/^(-?)0\./, '$1.');
  return lang === 'nl' ? s.replace('.', ',') : s;
}
