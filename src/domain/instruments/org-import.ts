import { SpiegelError, type ErrorCode } from '../errors.ts';
import { instrumentCatalogEntry, type Restriction } from './catalog.ts';
import type { Questionnaire } from './fhir.ts';
import { importQuestionnaire } from './import.ts';
import { errorsOnly, IssueList, type Issue, type IssueCode } from './issues.ts';
import { applyTranslationOverlay, isOverlayFor } from './overlay.ts';
import { checkNesting } from './safety.ts';
import type { TranslationStatus } from './scoring-spec.ts';
import { validateQuestionnaire } from './validate-questionnaire.ts';

/** Checks a resource against the base FHIR R4 specification; returns issues with JSON-pointer paths. */
export type BaseFhirCheck = (resource: unknown) => Issue[];

/** What an admin sees before anything is stored: the validation report and the licence check. */
export interface ImportReport {
  ok: boolean;
  /** The registry code of the refusal (stable English), or null when the questionnaire can be stored. */
  errorCode: ErrorCode | null;
  issues: Issue[];
  /** `translation`: an overlay adding an official translation to an instrument Spiegel ships. */
  kind: 'questionnaire' | 'translation' | null;
  instrumentId: string | null;
  /** What would be stored: the questionnaire, or the shipped instrument with the overlay merged in. */
  questionnaire: Questionnaire | null;
  title: string | null;
  scored: boolean;
  recognisedAs: string | null;
  licence: { text: string | null; restrictions: Restriction[]; acknowledgementRequired: boolean };
  translations: TranslationStatus[];
}

/** The first issue code found decides the registry code, so each kind of bad file has its own. */
const REFUSALS: Array<[IssueCode[], ErrorCode]> = [
  [['JSON_INVALID'], 'INSTRUMENT_JSON_INVALID'],
  [['ITEM_TOO_DEEP', 'JSON_TOO_DEEP'], 'INSTRUMENT_TOO_DEEP'],
  [['NOT_AN_OBJECT', 'RESOURCE_TYPE'], 'INSTRUMENT_RESOURCE_TYPE'],
  [['LINKID_DUPLICATE'], 'INSTRUMENT_LINKID_DUPLICATE'],
  [['ENABLE_WHEN_CYCLE'], 'INSTRUMENT_ENABLE_WHEN_CYCLE'],
  [['TRANSLATION_MISMATCH'], 'TRANSLATION_MISMATCH'],
  [['FHIR_BASE_INVALID'], 'INSTRUMENT_FHIR_INVALID'],
];

function refusalCode(issues: readonly Issue[]): ErrorCode | null {
  const errors = errorsOnly(issues);
  if (errors.length === 0) return null;
  for (const [codes, code] of REFUSALS) if (errors.some((i) => codes.includes(i.code))) return code;
  return 'QUESTIONNAIRE_INVALID';
}

/** Restrictions that need an admin's explicit acknowledgement before the organisation may use an import. */
const RESTRICTED: readonly Restriction[] = ['acknowledgement-required', 'non-commercial-only', 'no-modification', 'not-redistributable'];

function emptyReport(issues: Issue[]): ImportReport {
  return {
    ok: false,
    errorCode: refusalCode(issues),
    issues,
    kind: null,
    instrumentId: null,
    questionnaire: null,
    title: null,
    scored: false,
    recognisedAs: null,
    licence: { text: null, restrictions: [], acknowledgementRequired: false },
    translations: [],
  };
}

/**
 * Checks an uploaded file as an organisation instrument, without storing anything: JSON, nesting,
 * Spiegel's structure and scoring rules, the base FHIR R4 specification, and (for an overlay on a
 * shipped instrument) the item-for-item match. Pure: the caller passes the shipped questionnaires and
 * the base FHIR check.
 */
export function checkOrgImport(text: string, shipped: readonly Questionnaire[], baseCheck: BaseFhirCheck): ImportReport {
  const list = new IssueList();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    list.error('', 'JSON_INVALID', `The file is not valid JSON: ${(error as Error).message}`);
    return emptyReport(list.items);
  }
  // Depth first: every later check recurses, and a hostile file must not overflow the stack.
  if (!checkNesting(json, list)) return emptyReport(list.items);
  const base = (json as { resourceType?: unknown })?.resourceType === 'Questionnaire' ? baseCheck(json) : [];
  const candidate = json as Questionnaire;
  const target = shipped.find((q) => typeof candidate === 'object' && candidate !== null && isOverlayFor(candidate, q));
  if (target) {
    const own = validateQuestionnaire(json);
    const issues = [...own.issues.filter((i) => i.code !== 'UNSCORED' && i.code !== 'LICENCE_MISSING'), ...base];
    const overlayList = new IssueList();
    // The structure is compared even when the overlay has other errors, so every difference is listed.
    const merged = Array.isArray(candidate.item) ? applyTranslationOverlay(candidate, target, overlayList) : null;
    issues.push(...overlayList.items);
    const checked = merged && own.index ? validateQuestionnaire(merged, { requireLicence: true }) : null;
    if (checked) issues.push(...checked.issues);
    return report(issues, 'translation', checked?.ok ? merged : null, null);
  }
  const imported = importQuestionnaire(json, shipped);
  const issues = [...imported.issues, ...base];
  if (imported.ok && imported.questionnaire) {
    const licensed = validateQuestionnaire(imported.questionnaire, { requireLicence: true });
    for (const i of licensed.issues) if (i.code === 'LICENCE_MISSING') issues.push(i);
    if (!imported.questionnaire.id) issues.push({ path: '/id', code: 'FIELD_MISSING', reason: 'An imported instrument needs an id.', severity: 'error' });
  }
  return report(issues, 'questionnaire', imported.questionnaire, imported.recognisedAs);
}

function report(issues: Issue[], kind: ImportReport['kind'], q: Questionnaire | null, recognisedAs: string | null): ImportReport {
  const errorCode = refusalCode(issues);
  const entry = q ? instrumentCatalogEntry(q) : null;
  const restrictions = entry?.restrictions ?? [];
  return {
    ok: errorCode === null && q !== null,
    errorCode: errorCode ?? (q ? null : 'QUESTIONNAIRE_INVALID'),
    issues,
    kind,
    instrumentId: q?.id ?? null,
    questionnaire: errorCode === null ? q : null,
    title: entry?.title.en.text ?? null,
    scored: entry?.scored ?? false,
    recognisedAs,
    licence: {
      text: entry?.licence?.licence ?? null,
      restrictions,
      acknowledgementRequired: restrictions.some((r) => RESTRICTED.includes(r)),
    },
    translations: entry ? translationsOf(q!) : [],
  };
}

function translationsOf(q: Questionnaire): TranslationStatus[] {
  const parsed = validateQuestionnaire(q).scoring;
  return parsed?.translations ?? [];
}

/** The error that refuses storing this import, or null. A restricted licence needs the admin's acknowledgement. */
export function importRefusal(report: ImportReport, acknowledged: boolean): SpiegelError | null {
  if (!report.ok) {
    const first = errorsOnly(report.issues)[0];
    return new SpiegelError(report.errorCode ?? 'QUESTIONNAIRE_INVALID', first ? `${first.path || '/'} ${first.code}: ${first.reason}` : undefined, { issues: report.issues });
  }
  if (report.licence.acknowledgementRequired && !acknowledged) {
    return new SpiegelError('LICENCE_NOT_ACKNOWLEDGED', undefined, { instrument: report.instrumentId, licence: report.licence.text, restrictions: report.licence.restrictions });
  }
  return null;
}
