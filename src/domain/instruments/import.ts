import type { AnswerOption, Questionnaire, QuestionnaireItem } from './fhir.ts';
import { URL } from './fhir.ts';
import { optionScore } from './extensions.ts';
import { IssueList, isObject, pointer, type Issue } from './issues.ts';
import { isValidLoincCode } from './loinc.ts';
import type { ItemIndex } from './questionnaire-structure.ts';
import { encodeScoringExtension } from './scoring-encode.ts';
import type { ScoringSpec } from './scoring-spec.ts';
import { validateQuestionnaire } from './validate-questionnaire.ts';

export interface ImportResult {
  ok: boolean;
  /** The questionnaire to store: the input, or a copy that received the known instrument's rules. */
  questionnaire: Questionnaire | null;
  issues: Issue[];
  /** Id of the known (library) instrument whose scoring rules were applied. */
  recognisedAs: string | null;
  scored: boolean;
}

/**
 * Imports an external questionnaire. If it carries Spiegel scoring rules it is taken as is. Otherwise,
 * when its LOINC panel code matches a known instrument (e.g. 44249-1 → the shipped PHQ-9), items are
 * matched by their LOINC codes and the known rules are applied, so it scores exactly like the shipped
 * one. Anything else is accepted unscored, with a warning.
 */
export function importQuestionnaire(input: unknown, known: readonly Questionnaire[] = []): ImportResult {
  const first = validateQuestionnaire(input);
  if (!first.ok || !first.questionnaire || !first.index) {
    return { ok: false, questionnaire: null, issues: first.issues, recognisedAs: null, scored: false };
  }
  if (first.scoring && first.scoring.scales.length > 0) {
    return { ok: true, questionnaire: first.questionnaire, issues: first.issues, recognisedAs: null, scored: true };
  }
  const q = first.questionnaire;
  const notes = new IssueList();
  for (const candidate of known) {
    if (!sharesPanelCode(q, candidate)) continue;
    const mapped = applyKnownRules(q, first.index, candidate, notes);
    if (!mapped) continue;
    const again = validateQuestionnaire(mapped);
    const issues = [...first.issues.filter((i) => i.code !== 'UNSCORED'), ...notes.items, ...again.issues.filter((i) => !first.issues.some((f) => f.path === i.path && f.code === i.code))];
    return { ok: again.ok, questionnaire: again.ok ? mapped : null, issues, recognisedAs: candidate.id ?? null, scored: again.ok };
  }
  return { ok: true, questionnaire: q, issues: [...first.issues, ...notes.items], recognisedAs: null, scored: false };
}

function loincCodes(codings: unknown, identifiers?: unknown): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(codings)) for (const c of codings) if (isObject(c) && c.system === URL.loinc && typeof c.code === 'string') out.add(c.code);
  if (Array.isArray(identifiers)) for (const i of identifiers) if (isObject(i) && i.system === URL.loinc && typeof i.value === 'string') out.add(i.value);
  return out;
}

/**
 * LOINC codes of an item: its codings, else the LHC-Forms convention of a linkId "/<LOINC>" (the CIRG
 * PHQ-4 has items with no code array), accepted only when the check digit is right.
 */
function itemLoincCodes(item: QuestionnaireItem): Set<string> {
  const codes = loincCodes(item.code);
  const fromLinkId = /^\/?(\d{1,7}-\d)$/.exec(item.linkId)?.[1];
  if (codes.size === 0 && fromLinkId && isValidLoincCode(fromLinkId)) codes.add(fromLinkId);
  return codes;
}

function sharesPanelCode(q: Questionnaire, candidate: Questionnaire): boolean {
  const mine = loincCodes(q.code, q.identifier);
  for (const code of loincCodes(candidate.code, candidate.identifier)) if (mine.has(code)) return true;
  return false;
}

/** Returns a copy of `q` with the candidate's rules, or null (with a warning) when the items do not match. */
function applyKnownRules(q: Questionnaire, index: ItemIndex, candidate: Questionnaire, notes: IssueList): Questionnaire | null {
  const knownCheck = validateQuestionnaire(candidate);
  const spec = knownCheck.scoring;
  if (!knownCheck.ok || !spec || !knownCheck.index) return null;
  const byLoinc = new Map<string, string>();
  for (const [linkId, info] of index) for (const code of itemLoincCodes(info.item)) if (!byLoinc.has(code)) byLoinc.set(code, linkId);

  const copy = structuredClone(q);
  const copyIndex = new Map<string, QuestionnaireItem>();
  const indexCopy = (items: QuestionnaireItem[] | undefined): void => {
    for (const it of items ?? []) {
      copyIndex.set(it.linkId, it);
      indexCopy(it.item);
    }
  };
  indexCopy(copy.item);

  const rename = new Map<string, string>();
  const referenced = new Set([...spec.scales.flatMap((s) => s.items), ...spec.risks.map((r) => r.item)]);
  for (const knownId of referenced) {
    const knownItem = knownCheck.index.get(knownId)!.item;
    const code = [...loincCodes(knownItem.code)][0];
    const target = code === undefined ? undefined : byLoinc.get(code);
    if (target === undefined) {
      notes.warn('/item', 'KNOWN_INSTRUMENT_MISMATCH', `Looks like "${candidate.id}" but has no item with LOINC ${code ?? '(none)'} (${knownId}); imported unscored.`);
      return null;
    }
    rename.set(knownId, target);
    if (!mergeScores(knownItem, copyIndex.get(target)!, index.get(target)!.path, notes)) return null;
    const mine = copyIndex.get(target)!.text;
    if (typeof mine === 'string' && typeof knownItem.text === 'string' && normalise(mine) !== normalise(knownItem.text)) {
      notes.warn(pointer(index.get(target)!.path, 'text'), 'TEXT_DIFFERS_FROM_KNOWN', `Text differs from the verified wording: "${knownItem.text}".`);
    }
  }
  const mapped: ScoringSpec = {
    scales: spec.scales.map((s) => ({ ...s, items: s.items.map((i) => rename.get(i)!), reverse: s.reverse.map((i) => rename.get(i)!) })),
    risks: spec.risks.map((r) => ({ ...r, item: rename.get(r.item)! })),
    licence: spec.licence,
    catalog: { ...spec.catalog, shippedByDefault: false, projectAuthored: false, basedOn: candidate.id ?? null },
    // Only the shared original language keeps its status; an organisation declares its own translations.
    translations: spec.translations.filter((t) => t.status === 'original' && t.lang === (copy.language ?? 'en')),
  };
  if (!copy.copyright && candidate.copyright) copy.copyright = candidate.copyright;
  copy.extension = [...(copy.extension ?? []), encodeScoringExtension(mapped, copy.language ?? 'en')];
  notes.warn('/extension', 'KNOWN_INSTRUMENT_MAPPED', `Recognised as "${candidate.id}" by LOINC code; Spiegel's scoring rules for it were applied.`);
  return copy;
}

/**
 * Answer scores must agree with the known instrument where answer codes match. Options without a score
 * receive the known one (ordinalValue); a conflicting score blocks the mapping.
 */
function mergeScores(knownItem: QuestionnaireItem, target: QuestionnaireItem, targetPath: string, notes: IssueList): boolean {
  if (knownItem.type !== target.type) {
    notes.warn(pointer(targetPath, 'type'), 'KNOWN_INSTRUMENT_MISMATCH', `Type ${target.type} differs from the known ${knownItem.type}; imported unscored.`);
    return false;
  }
  const knownScores = new Map<string, number>();
  for (const o of knownItem.answerOption ?? []) {
    const s = optionScore(o);
    if (o.valueCoding?.code && s !== undefined) knownScores.set(o.valueCoding.code, s);
  }
  let ok = true;
  (target.answerOption ?? []).forEach((o: AnswerOption, i) => {
    const code = o.valueCoding?.code;
    const mine = optionScore(o);
    const theirs = code === undefined ? undefined : knownScores.get(code);
    const p = pointer(targetPath, 'answerOption', i);
    if (theirs === undefined) {
      // E.g. the CIRG PHQ-4 uses LOINC's LA18938-3 "More days than not" where the form has LA6570-1.
      if (mine === undefined) notes.warn(p, 'SCALE_OPTION_UNSCORED', `Option ${code ?? '?'} is not an option of the known instrument and has no score.`);
      else notes.warn(p, 'KNOWN_INSTRUMENT_MISMATCH', `Option ${code ?? '?'} is not an answer of the known instrument; its own score ${mine} is kept.`);
      return;
    }
    if (mine === undefined) {
      o.extension = [...(o.extension ?? []), { url: URL.ordinalValue, valueDecimal: theirs }];
    } else if (mine !== theirs) {
      notes.warn(p, 'KNOWN_INSTRUMENT_MISMATCH', `Option ${code} scores ${mine}, the known instrument ${theirs}; imported unscored.`);
      ok = false;
    }
  });
  return ok;
}

/** Compares wording while ignoring case, punctuation, dashes and spacing (LOINC texts differ only there). */
function normalise(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
