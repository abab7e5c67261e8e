import type { Questionnaire } from './fhir.ts';
import { checkEnableWhen } from './enable-when.ts';
import { checkEnableWhenCycles, checkNesting } from './safety.ts';
import { IssueList, type Issue } from './issues.ts';
import { checkQuestionnaireStructure, type ItemIndex } from './questionnaire-structure.ts';
import { checkScoringAgainstQuestionnaire } from './scoring-check.ts';
import { parseScoringExtension } from './scoring-parse.ts';
import type { ScoringSpec } from './scoring-spec.ts';

export interface QuestionnaireValidation {
  /** True when there are no errors (warnings allowed). */
  ok: boolean;
  issues: Issue[];
  /** The input, typed, when ok. */
  questionnaire: Questionnaire | null;
  index: ItemIndex | null;
  /** Parsed Spiegel scoring rules, or null when the questionnaire has none (it is then unscored). */
  scoring: ScoringSpec | null;
}

export interface ValidateOptions {
  /** The shipped library and organisation imports require licence metadata; a bare check does not. */
  requireLicence?: boolean;
}

/**
 * Validates any JSON value as a FHIR R4 Questionnaire plus Spiegel's scoring rules. Never throws: every
 * problem is returned as {path, code, reason, severity}.
 */
export function validateQuestionnaire(input: unknown, options: ValidateOptions = {}): QuestionnaireValidation {
  const list = new IssueList();
  if (!checkNesting(input, list)) return { ok: false, issues: list.items, questionnaire: null, index: null, scoring: null };
  const index = checkQuestionnaireStructure(input, list);
  if (index === null) return { ok: false, issues: list.items, questionnaire: null, index: null, scoring: null };
  checkEnableWhen(index, list);
  checkEnableWhenCycles(index, list);
  const raw = input as Record<string, unknown>;
  const parsed = parseScoringExtension(raw, list);
  if (parsed) checkScoringAgainstQuestionnaire(raw, parsed.spec, parsed.where, index, list);
  if (options.requireLicence && (!parsed || !parsed.spec.licence)) {
    // Upgrade the warning the scoring check gave, rather than reporting the same thing twice.
    const warning = list.items.find((i) => i.code === 'LICENCE_MISSING');
    if (warning) Object.assign(warning, { severity: 'error', reason: 'Instruments in a library must declare their licence.' });
    else list.error(parsed ? parsed.where.root : '/extension', 'LICENCE_MISSING', 'Instruments in a library must declare their licence.');
  }
  if (!parsed) list.warn('/extension', 'UNSCORED');
  const ok = !list.hasErrors;
  return {
    ok,
    issues: list.items,
    questionnaire: ok ? (input as Questionnaire) : null,
    index,
    scoring: parsed?.spec ?? null,
  };
}
