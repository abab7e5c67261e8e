import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { catalogues, type Lang } from '../web/i18n.ts';
import { ERROR_TEXTS } from '../web/error-texts.ts';

/**
 * Test support for the language-leak test: what a person reads on a page or in a PDF, and what in it
 * belongs to the other language, is a raw code or an unfilled key.
 */
export { missingTextKeys } from '../web/i18n.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decode(text: string): string {
  return text.replace(/&(#x?[0-9a-f]+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

/** Removes each element whose `lang` differs from the page's (WCAG 3.1.2 marks quoted originals). */
function dropOtherLanguage(html: string, lang: Lang): string {
  const open = /<(\w+)\b[^>]*\slang="(\w+)"[^>]*>/g;
  let out = html;
  for (;;) {
    open.lastIndex = 0;
    let match: RegExpExecArray | null;
    let cut: [number, number] | null = null;
    while ((match = open.exec(out))) {
      if (match[1] === 'html' || match[2] === lang) continue;
      const tag = match[1];
      const scan = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
      scan.lastIndex = match.index + match[0].length;
      let depth = 1;
      let inner: RegExpExecArray | null;
      while (depth > 0 && (inner = scan.exec(out))) depth += inner[1] === '/' ? -1 : 1;
      cut = [match.index, depth === 0 ? scan.lastIndex : out.length];
      break;
    }
    if (!cut) return out;
    out = out.slice(0, cut[0]) + ' ' + out.slice(cut[1]);
  }
}

/** The opening tags of the elements a page marks with a language other than its own. */
export function otherLanguageBlocks(html: string, lang: Lang): string[] {
  return [...html.matchAll(/<(\w+)\b[^>]*\slang="(\w+)"[^>]*>/g)]
    .filter((m) => m[1] !== 'html' && m[2] !== lang)
    .map((m) => m[0]);
}

/** The text a person reads on a page: body text plus titles, labels and alternative texts. */
export function visibleText(html: string, lang: Lang): string {
  let body = html
    .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    // The document title repeats the heading, where text in another language is marked; <title> cannot be.
    .replace(/<title\b[\s\S]*?<\/title>/gi, ' ')
    // Variable names and codes a researcher types are identifiers, shown as <code>.
    .replace(/<code\b[\s\S]*?<\/code>/gi, ' ')
    .replace(/<svg\b[\s\S]*?<\/svg>/gi, (svg) => (svg.match(/<(title|desc|text)\b[^>]*>[^<]*</g) ?? []).join(' '));
  body = dropOtherLanguage(body, lang);
  const attributes = [...body.matchAll(/\s(?:aria-label|title|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]);
  const text = body.replace(/<[^>]+>/g, ' ');
  return decode([text, ...attributes].join(' ')).replace(/\s+/g, ' ');
}

/** The strings of a pdfmake document (charts excluded: their labels come from the same catalogues). */
export function pdfText(definition: TDocumentDefinitions, lang: Lang): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') out.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      // A node marked with another language is quoted original wording (labelled as such next to it).
      if ('lang' in node && (node as { lang: unknown }).lang !== lang) return;
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (['svg', 'image', 'style', 'layout', 'pageOrientation', 'alignment'].includes(key)) continue;
        walk(value);
      }
    }
  };
  walk(definition.content as Content);
  // The metadata title repeats the heading, where text in another language is marked; metadata cannot be.
  if (definition.info) walk({ ...definition.info, title: undefined });
  return out.join(' ').replace(/\s+/g, ' ');
}

const other = (lang: Lang): Lang => (lang === 'nl' ? 'en' : 'nl');

/** Fragments of one language's messages long enough to recognise and absent from the other's. */
function fingerprints(lang: Lang): string[] {
  const all = [...catalogues, ERROR_TEXTS];
  const ownText = all.flatMap((c) => Object.values(c).map((e) => e[other(lang)])).join('\n');
  const found = new Set<string>();
  for (const catalogue of all) {
    for (const entry of Object.values(catalogue)) {
      if (entry.nl === entry.en) continue;
      for (const fragment of entry[lang].split(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|[\n:()]/)) {
        const clean = fragment.trim().replace(/[.,;]$/, '');
        if (clean.split(/\s+/).length >= 3 && clean.length >= 14 && !ownText.includes(clean)) found.add(clean);
      }
    }
  }
  return [...found];
}

const FOREIGN_WORDS: Record<Lang, RegExp> = {
  // English function words on a Dutch page ("is", "in", "over" are Dutch too).
  nl: /\b(the|and|your|you|with|this|these|are|not|which|from|have|has|been|will|should|could|there)\b/gi,
  // Dutch function words on an English page.
  en: /\b(het|een|niet|voor|jouw|wordt|naar|ook|bij|zijn|worden|heeft|deze|dit|wat|geen|nog|maar|kun|kunt|je|jij|uw|zich)\b/gi,
};

const cache = new Map<Lang, string[]>();
/** Statistical symbols written with an underscore (Cohen's d_z), not codes. */
const SYMBOLS = new Set(['d_z']);

/** What on a page in `lang` belongs to the other language, is a raw code or an unfilled key. */
export function findLeaks(text: string, lang: Lang): string[] {
  if (!cache.has(lang)) cache.set(lang, fingerprints(other(lang)));
  const findings: string[] = [];
  for (const fragment of cache.get(lang)!) if (text.includes(fragment)) findings.push(`other language: "${fragment}"`);
  // Quoted titles of works (“Over het ontvangen van waardering”) stay in their own language.
  const unquoted = text.replace(/“[^”]*”|‘[^’]*’|"[^"]*"/g, ' ');
  for (const match of unquoted.matchAll(FOREIGN_WORDS[lang])) {
    const at = match.index;
    findings.push(`other-language word "${match[0]}" in "…${unquoted.slice(Math.max(0, at - 40), at + 40)}…"`);
  }
  if (lang === 'nl')
    for (const match of text.matchAll(/\b(u|uw)\b/g))
      findings.push(`"u" instead of "je" in "…${text.slice(Math.max(0, match.index - 40), match.index + 40)}…"`);
  for (const match of text.matchAll(/\b[a-z]+(?:_[a-z0-9]+)+\b/g))
    if (!SYMBOLS.has(match[0])) findings.push(`raw code "${match[0]}"`);
  for (const match of text.matchAll(/\bseed[ -]?\d{3}\b|\b(?:docs|src)\/[\w/-]+\.\w+/gi))
    findings.push(`internal reference "${match[0]}"`);
  for (const match of text.matchAll(/\b[a-z]+\.[a-z]+[A-Z]\w*\b/g)) findings.push(`unfilled key "${match[0]}"`);
  return findings;
}
