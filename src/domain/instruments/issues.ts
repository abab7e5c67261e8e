import { SpiegelError } from '../errors.ts';

/**
 * One validation finding. `path` is an RFC 6901 JSON pointer into the validated document, so an editor
 * (or a person with `jq`) can go straight to the offending element. Errors block use; warnings do not.
 */
export interface Issue {
  path: string;
  code: IssueCode;
  reason: string;
  severity: 'error' | 'warning';
}

/**
 * Stable issue codes. They sit under the registry codes QUESTIONNAIRE_INVALID and RESPONSE_INVALID
 * (src/domain/errors.ts) as `details.issues[].code`. Never change a code's meaning; add a new one.
 */
export const ISSUE_CODES = {
  // JSON shape
  JSON_INVALID: 'The file is not valid JSON.',
  NOT_AN_OBJECT: 'The document (or element) must be a JSON object.',
  FIELD_TYPE: 'A field has the wrong JSON type.',
  FIELD_MISSING: 'A required field is missing.',
  RESOURCE_TYPE: 'The resourceType is not the one expected.',
  STATUS_INVALID: 'The status is not an allowed code.',
  // Questionnaire structure
  LINKID_MISSING: 'An item has no linkId.',
  LINKID_DUPLICATE: 'Two items share a linkId.',
  ITEM_TYPE_INVALID: 'The item type is not an R4 Questionnaire item type.',
  ITEM_TEXT_MISSING: 'A question or display item has no text.',
  GROUP_EMPTY: 'A group item has no nested items.',
  DISPLAY_HAS_CHILDREN: 'A display item cannot have nested items.',
  ANSWER_OPTIONS_NOT_ALLOWED: 'Only choice and open-choice items can have answerOption or answerValueSet.',
  CHOICE_WITHOUT_OPTIONS: 'A choice item has neither answerOption nor answerValueSet.',
  ANSWER_VALUESET_UNCHECKED: 'Answers to an item bound to a value set cannot be checked offline.',
  ANSWER_OPTION_VALUE: 'An answerOption must carry exactly one value[x] of an allowed type.',
  ANSWER_OPTION_DUPLICATE: 'Two answerOptions of one item have the same value.',
  ORDINAL_VALUE_INVALID: 'An ordinalValue or itemWeight extension has no numeric valueDecimal.',
  ORDINAL_VALUE_CONFLICT: 'ordinalValue and itemWeight disagree on one answer.',
  EXTENSION_INVALID: 'An extension is not an object with a url.',
  EXTENSION_VALUE_TYPE: 'An extension value has the wrong type for its value[x] name.',
  MIN_MAX_INVALID: 'minValue/maxValue are not numbers, or min exceeds max.',
  ENABLE_WHEN_QUESTION_UNKNOWN: 'enableWhen refers to a linkId that does not exist.',
  ENABLE_WHEN_SELF: 'enableWhen refers to the item itself.',
  ENABLE_WHEN_OPERATOR_INVALID: 'The enableWhen operator is unknown or does not suit the answer type.',
  ENABLE_WHEN_ANSWER_INVALID: 'enableWhen needs exactly one answer[x] that matches the target item type.',
  ENABLE_WHEN_ANSWER_NOT_AN_OPTION: 'enableWhen compares with a value that is not one of the target options.',
  ENABLE_BEHAVIOR_MISSING: 'Several enableWhen conditions need enableBehavior (all | any).',
  ENABLE_BEHAVIOR_INVALID: 'enableBehavior must be all or any.',
  ENABLE_WHEN_CYCLE: 'enableWhen conditions depend on each other in a cycle, so the items can never be shown.',
  ITEM_TOO_DEEP: 'Items are nested deeper than Spiegel accepts.',
  JSON_TOO_DEEP: 'The document is nested deeper than Spiegel accepts.',
  FHIR_BASE_INVALID: 'The resource is not valid FHIR R4 (base specification).',
  TRANSLATION_MISMATCH: 'A translation overlay does not match the instrument item for item and answer for answer.',
  LOINC_CODE_INVALID: 'A LOINC code is malformed or its check digit is wrong.',
  TRANSLATION_INVALID: 'A translation extension needs lang and content strings.',
  // Spiegel scoring extension
  SCORING_EXTENSION_INVALID: 'The Spiegel scoring extension is malformed.',
  SCORING_DUPLICATE_EXTENSION: 'The Spiegel scoring extension appears more than once.',
  SUB_EXTENSION_UNKNOWN: 'An unknown sub-extension inside the Spiegel scoring extension (a typo?).',
  SUB_EXTENSION_REPEATED: 'A sub-extension that may occur once occurs more than once.',
  SCALE_ID_DUPLICATE: 'Two scales share an id.',
  SCALE_METHOD_INVALID: 'The scale method must be sum, mean or prorated-sum.',
  SCALE_ITEMS_EMPTY: 'A scale lists no items.',
  SCALE_ITEM_UNKNOWN: 'A scale, reverse or risk entry refers to an unknown linkId.',
  SCALE_ITEM_REPEATED: 'A scale lists the same item twice.',
  SCALE_ITEM_UNSCORABLE: 'A scale item has no answer scores (ordinalValue/itemWeight, or a numeric/boolean type).',
  SCALE_OPTION_UNSCORED: 'Some options of a scored item carry no score; choosing one counts as a missing answer.',
  SCALE_SCORE_OUT_OF_RANGE: 'An answer score lies outside the declared itemMin..itemMax.',
  REVERSE_NOT_IN_SCALE: 'A reverse-keyed item is not one of the scale items.',
  REVERSE_RANGE_MISSING: 'Reverse keying needs itemMin and itemMax.',
  MISSING_RULE_INVALID: 'maxMissingFraction must be a number from 0 up to (not including) 1.',
  BANDS_NOT_ASCENDING: 'Band lower bounds must strictly increase.',
  SUBSCALE_PARENT_UNKNOWN: 'subscaleOf refers to an unknown scale id.',
  DIRECTION_INVALID: 'direction must be higher-is-worse, higher-is-better or none.',
  OPERATOR_INVALID: 'The comparison operator must be one of > >= < <= =.',
  NUMBER_INVALID: 'A number is missing, not finite, or outside its allowed range.',
  SOURCE_MISSING: 'A psychometric value, band set, cut-off or norm has no source citation.',
  LICENCE_MISSING: 'The instrument declares no licence metadata.',
  COPYRIGHT_REQUIRED: 'The licence requires the copyright line on the form, but Questionnaire.copyright is empty.',
  TRANSLATION_NOT_ALLOWED: 'The licence forbids modification, so an unverified (own) translation is not allowed.',
  TRANSLATION_STATUS_MISSING: 'A language is used in translations without a Spiegel translation status; it is treated as unverified.',
  TRANSLATION_STATUS_INVALID: 'Translation status must be original, verified or unverified.',
  UNSCORED: 'The questionnaire carries no scoring rules; it is accepted unscored.',
  KNOWN_INSTRUMENT_MAPPED: 'The questionnaire was recognised and given Spiegel\'s scoring rules.',
  KNOWN_INSTRUMENT_MISMATCH: 'The questionnaire looks like a known instrument but does not match it closely enough.',
  TEXT_DIFFERS_FROM_KNOWN: 'Item text differs from the verified wording of the known instrument.',
  // QuestionnaireResponse
  QUESTIONNAIRE_MISMATCH: 'The response refers to a different questionnaire.',
  ITEM_UNKNOWN: 'The response answers a linkId that the questionnaire does not have.',
  ITEM_MISPLACED: 'The response item is nested under the wrong parent.',
  ITEM_REPEATED: 'A non-repeating item occurs more than once.',
  ANSWER_NOT_ALLOWED: 'Group and display items cannot have answers.',
  ANSWER_EMPTY: 'An answer carries no value[x].',
  ANSWER_MULTIPLE: 'A non-repeating item has more than one answer.',
  ANSWER_TYPE: 'The answer value type does not match the item type.',
  ANSWER_NOT_IN_OPTIONS: 'The answer is not one of the item\'s answerOptions.',
  ANSWER_OUT_OF_RANGE: 'The answer lies outside minValue/maxValue or maxLength.',
  REQUIRED_MISSING: 'A required, enabled item has no answer.',
  ANSWER_TO_DISABLED_ITEM: 'An item whose enableWhen is not met has an answer.',
  INSTRUMENT_ID_DUPLICATE: 'Two instruments in one library share an id.',
} as const;

export type IssueCode = keyof typeof ISSUE_CODES;

/** Escapes one reference token of a JSON pointer (RFC 6901: ~ → ~0, / → ~1). */
export function escapePointer(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(base: string, ...tokens: (string | number)[]): string {
  let out = base;
  for (const t of tokens) out += '/' + escapePointer(t);
  return out;
}

/** Collects issues; `error`/`warn` keep call sites short. */
export class IssueList {
  readonly items: Issue[] = [];

  error(path: string, code: IssueCode, reason?: string): void {
    this.items.push({ path, code, reason: reason ?? ISSUE_CODES[code], severity: 'error' });
  }

  warn(path: string, code: IssueCode, reason?: string): void {
    this.items.push({ path, code, reason: reason ?? ISSUE_CODES[code], severity: 'warning' });
  }

  get hasErrors(): boolean {
    return this.items.some((i) => i.severity === 'error');
  }
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

export function errorsOnly(issues: readonly Issue[]): Issue[] {
  return issues.filter((i) => i.severity === 'error');
}

/** Wraps issues into the registry error the CLI and server report ({error: {code, message, details}}). */
export function issuesError(kind: 'QUESTIONNAIRE_INVALID' | 'RESPONSE_INVALID', issues: readonly Issue[]): SpiegelError {
  const errors = errorsOnly(issues);
  const first = errors[0];
  const message = first
    ? `${errors.length} problem(s); first: ${first.path || '/'} ${first.code}: ${first.reason}`
    : undefined;
  return new SpiegelError(kind, message, { issues });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
