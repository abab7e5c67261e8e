/**
 * APA-style result strings in English and Dutch, e.g. "t(817) = 7.62, p < .001, d = 0.62" and
 * "t(817) = 7,62, p < ,001, d = 0,62". Dutch uses the decimal comma, so lists inside brackets use
 * a semicolon ("F(3; 41)"), as Dutch typography does when numbers carry commas.
 * Statistics bounded by 1 (p, r, η²) drop the leading zero, as APA asks.
 */
import { finite, invalid } from './guards.ts';
import { formatDecimal } from '../format.ts';

export type Lang = 'en' | 'nl';

function checkLang(lang: Lang): Lang {
  if (lang !== 'en' && lang !== 'nl') invalid(`Unknown report language '${String(lang)}'; use 'en' or 'nl'.`);
  return lang;
}

/** Fixed decimals, no "-0.00", optional leading zero, decimal comma for Dutch. */
export function formatNumber(
  x: number,
  decimals: number,
  lang: Lang = 'en',
  options?: { leadingZero?: boolean },
): string {
  return formatDecimal(finite(x, 'number to format'), checkLang(lang), decimals, options);
}

/** Degrees of freedom: whole numbers as they are, fractional (Welch) df with 2 decimals. */
export function formatDf(df: number, lang: Lang = 'en'): string {
  const v = finite(df, 'df');
  return Number.isInteger(v) ? String(v) : formatNumber(v, 2, lang);
}

/** "p = .031", "p < .001", "p > .999" (three decimals, no leading zero). */
export function formatP(p: number, lang: Lang = 'en'): string {
  const v = finite(p, 'p');
  if (v < 0 || v > 1) invalid(`A p-value must lie in [0, 1]; got ${v}.`);
  if (v < 0.001) return `p < ${formatNumber(0.001, 3, lang, { leadingZero: false })}`;
  if (v > 0.999) return `p > ${formatNumber(0.999, 3, lang, { leadingZero: false })}`;
  return `p = ${formatNumber(v, 3, lang, { leadingZero: false })}`;
}

const sep = (lang: Lang): string => (lang === 'nl' ? '; ' : ', ');

/** "95% CI [0.12, 0.45]" / "95%-BI [0,12; 0,45]". */
export function formatCi(ci: readonly [number, number], level = 0.95, lang: Lang = 'en', decimals = 2): string {
  const pct = formatNumber(level * 100, Number.isInteger(level * 100) ? 0 : 1, lang);
  const label = lang === 'nl' ? `${pct}%-BI` : `${pct}% CI`;
  return `${label} [${formatNumber(ci[0], decimals, lang)}${sep(lang)}${formatNumber(ci[1], decimals, lang)}]`;
}

export interface ApaT {
  t: number;
  df: number;
  p: number;
  /** Effect size shown as "d = …" (pooled d, d from t, or dz: the caller decides). */
  d?: number;
}

export function apaT(r: ApaT, lang: Lang = 'en'): string {
  const parts = [`t(${formatDf(r.df, lang)}) = ${formatNumber(r.t, 2, lang)}`, formatP(r.p, lang)];
  if (r.d !== undefined) parts.push(`d = ${formatNumber(r.d, 2, lang)}`);
  return parts.join(', ');
}

export interface ApaF {
  F: number;
  df1: number;
  df2: number;
  p: number;
  etaSquared?: number;
}

export function apaF(r: ApaF, lang: Lang = 'en'): string {
  const parts = [
    `F(${formatDf(r.df1, lang)}${sep(lang)}${formatDf(r.df2, lang)}) = ${formatNumber(r.F, 2, lang)}`,
    formatP(r.p, lang),
  ];
  if (r.etaSquared !== undefined) parts.push(`η² = ${formatNumber(r.etaSquared, 2, lang, { leadingZero: false })}`);
  return parts.join(', ');
}

export interface ApaChiSquare {
  chisq: number;
  df: number;
  p: number;
  /** Total count, shown as "N = …" inside the brackets. */
  n?: number;
}

export function apaChiSquare(r: ApaChiSquare, lang: Lang = 'en'): string {
  const n = r.n === undefined ? '' : `${sep(lang)}N = ${formatDf(r.n, lang)}`;
  return `χ²(${formatDf(r.df, lang)}${n}) = ${formatNumber(r.chisq, 2, lang)}, ${formatP(r.p, lang)}`;
}

export interface ApaR {
  r: number;
  df: number;
  p: number;
}

/** "r(35) = .35, p = .031"; use symbol 'rs' for Spearman. */
export function apaR(r: ApaR, lang: Lang = 'en', symbol: 'r' | 'rs' = 'r'): string {
  return `${symbol}(${formatDf(r.df, lang)}) = ${formatNumber(r.r, 2, lang, { leadingZero: false })}, ${formatP(r.p, lang)}`;
}
