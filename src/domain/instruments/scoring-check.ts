import type { QuestionnaireItem } from './fhir.ts';
import { URL } from './fhir.ts';
import { optionScore } from './extensions.ts';
import { isObject, pointer, type IssueList } from './issues.ts';
import type { ItemIndex } from './questionnaire-structure.ts';
import type { SpecPaths } from './scoring-parse.ts';
import type { ScoringSpec } from './scoring-spec.ts';

/** Item types whose answers have a numeric score without answer options. */
const NUMERIC_TYPES = new Set(['integer', 'decimal', 'boolean']);

/**
 * Cross-checks parsed scoring rules against the questionnaire: every referenced item exists and can be
 * scored, reverse keying has a range, subscales have parents, and licence and translation rules hold.
 */
export function checkScoringAgainstQuestionnaire(
  q: Record<string, unknown>,
  spec: ScoringSpec,
  where: SpecPaths,
  index: ItemIndex,
  list: IssueList,
): void {
  const scaleIds = new Set(spec.scales.map((s) => s.id));
  spec.scales.forEach((scale, si) => {
    const w = where.scales[si];
    const seen = new Set<string>();
    scale.items.forEach((linkId, ii) => {
      const p = pointer(w.items[ii] ?? w.path, 'valueString');
      if (seen.has(linkId)) list.error(p, 'SCALE_ITEM_REPEATED', `"${linkId}" is listed twice in scale "${scale.id}".`);
      seen.add(linkId);
      const info = index.get(linkId);
      if (!info) return list.error(p, 'SCALE_ITEM_UNKNOWN', `Scale "${scale.id}" lists "${linkId}", which no item has as linkId.`);
      checkScorable(info.item, info.path, p, scale.itemMin, scale.itemMax, list);
    });
    scale.reverse.forEach((linkId, ri) => {
      const p = pointer(w.reverse[ri] ?? w.path, 'valueString');
      if (!scale.items.includes(linkId)) list.error(p, 'REVERSE_NOT_IN_SCALE', `"${linkId}" is reverse-keyed but not an item of scale "${scale.id}".`);
    });
    if (scale.reverse.length > 0 && (scale.itemMin === null || scale.itemMax === null)) list.error(w.path, 'REVERSE_RANGE_MISSING');
    if (scale.subscaleOf !== null && (!scaleIds.has(scale.subscaleOf) || scale.subscaleOf === scale.id)) {
      list.error(w.subscaleOf, 'SUBSCALE_PARENT_UNKNOWN', `subscaleOf "${scale.subscaleOf}" is not another scale of this instrument.`);
    }
  });
  spec.risks.forEach((risk, ri) => {
    const info = index.get(risk.item);
    const p = where.risks[ri];
    if (!info) return list.error(p, 'SCALE_ITEM_UNKNOWN', `Risk "${risk.code}" refers to unknown item "${risk.item}".`);
    checkScorable(info.item, info.path, p, null, null, list);
  });
  checkLicence(q, spec, where, list);
}

function checkScorable(item: QuestionnaireItem, itemPath: string, refPath: string, min: number | null, max: number | null, list: IssueList): void {
  if (NUMERIC_TYPES.has(item.type)) return;
  if ((item.type !== 'choice' && item.type !== 'open-choice') || !Array.isArray(item.answerOption)) {
    list.error(refPath, 'SCALE_ITEM_UNSCORABLE', `Item "${item.linkId}" (${JSON.stringify(item.type ?? null)}) has no answer scores.`);
    return;
  }
  const scores = item.answerOption.map((o) => (isObject(o) ? optionScore(o) : undefined));
  if (scores.every((s) => s === undefined)) {
    list.error(refPath, 'SCALE_ITEM_UNSCORABLE', `No option of "${item.linkId}" has an ordinalValue or itemWeight.`);
    return;
  }
  if (scores.some((s) => s === undefined)) list.warn(pointer(itemPath, 'answerOption'), 'SCALE_OPTION_UNSCORED');
  scores.forEach((s, i) => {
    if (s === undefined) return;
    if ((min !== null && s < min) || (max !== null && s > max)) {
      list.error(pointer(itemPath, 'answerOption', i), 'SCALE_SCORE_OUT_OF_RANGE', `Score ${s} lies outside ${min ?? '-∞'}..${max ?? '∞'}.`);
    }
  });
}

function checkLicence(q: Record<string, unknown>, spec: ScoringSpec, where: SpecPaths, list: IssueList): void {
  const licence = spec.licence;
  if (!licence) list.warn(where.root, 'LICENCE_MISSING');
  if (licence?.showCopyrightOnForm && !(typeof q.copyright === 'string' && q.copyright.trim() !== '')) {
    list.error('/copyright', 'COPYRIGHT_REQUIRED');
  }
  const declared = new Map(spec.translations.map((t, i) => [t.lang, { status: t.status, path: where.translations[i] }]));
  const base = typeof q.language === 'string' ? q.language : null;
  const used = usedTranslationLanguages(q);
  for (const [lang, path] of used) {
    const status = declared.get(lang);
    if (!status) list.warn(path, 'TRANSLATION_STATUS_MISSING', `Language "${lang}" has no Spiegel translation status; it counts as unverified.`);
    if (licence && !licence.modificationAllowed && (!status || status.status === 'unverified')) {
      list.error(status?.path ?? path, 'TRANSLATION_NOT_ALLOWED', `The licence forbids own translations, and "${lang}" is not verified.`);
    }
  }
  for (const t of spec.translations) {
    if (licence && !licence.modificationAllowed && t.status === 'unverified' && t.lang !== base && !used.has(t.lang)) {
      list.error(declared.get(t.lang)!.path, 'TRANSLATION_NOT_ALLOWED', `The licence forbids own translations ("${t.lang}" is marked unverified).`);
    }
  }
}

/** Every language of instrument text translations in the document, with the path of a first occurrence. */
export function usedTranslationLanguages(doc: unknown): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (node: unknown, path: string, depth: number): void => {
    if (depth > 64) return;
    if (Array.isArray(node)) return node.forEach((v, i) => visit(v, pointer(path, i), depth + 1));
    if (!isObject(node)) return;
    // Spiegel's own labels (bands, flags) are UI text, not instrument text; they do not need a status.
    if (node.url === URL.spiegelScoring) return;
    if (node.url === URL.translation && Array.isArray(node.extension)) {
      const lang = node.extension.find((s) => isObject(s) && s.url === 'lang');
      if (isObject(lang) && typeof lang.valueCode === 'string' && !found.has(lang.valueCode)) found.set(lang.valueCode, path);
      return;
    }
    for (const [k, v] of Object.entries(node)) if (typeof v === 'object' && v !== null) visit(v, pointer(path, k), depth + 1);
  };
  visit(doc, '', 0);
  return found;
}
