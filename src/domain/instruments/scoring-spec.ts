import type { Coding } from './fhir.ts';

/**
 * The scoring rules of one instrument, as parsed from the Spiegel scoring extension
 * (URL.spiegelScoring; format in docs/instruments.md). Answer scores themselves stay in the standard
 * ordinalValue/itemWeight extensions on the answer options; this covers what FHIR/SDC has no element for.
 */

/** Text per language code, e.g. { en: 'Mild', nl: 'Mild' }. The questionnaire's own language is always present. */
export type LocalizedText = Readonly<Record<string, string>>;

export type Operator = '>' | '>=' | '<' | '<=' | '=';
export const OPERATORS: readonly Operator[] = ['>', '>=', '<', '<=', '='];

export type ScaleMethod = 'sum' | 'mean' | 'prorated-sum';
export const SCALE_METHODS: readonly ScaleMethod[] = ['sum', 'mean', 'prorated-sum'];

export type Direction = 'higher-is-worse' | 'higher-is-better' | 'none';
export const DIRECTIONS: readonly Direction[] = ['higher-is-worse', 'higher-is-better', 'none'];

export type TranslationState = 'original' | 'verified' | 'unverified';
export const TRANSLATION_STATES: readonly TranslationState[] = ['original', 'verified', 'unverified'];

export type Audience = 'client' | 'therapist' | 'any';
export const AUDIENCES: readonly Audience[] = ['client', 'therapist', 'any'];

/** A number with the citation it comes from. Spiegel carries no psychometric number without a source. */
export interface Sourced {
  value: number;
  source: string;
}

export interface Reliability extends Sourced {
  kind: string;
}

/** A published group mean and SD (clinical, non-clinical, or any named comparison group). */
export interface NormGroup {
  group: string;
  label: LocalizedText;
  mean: number;
  sd: number;
  n: number | null;
  source: string;
}

/** A severity band applies from `from` (inclusive) up to the next band's `from`. */
export interface Band {
  from: number;
  code: string;
  label: LocalizedText;
}

/** A threshold on a scale value that raises a named flag (e.g. PHQ-2 ≥ 3, alliance low). */
export interface ScaleFlag {
  code: string;
  operator: Operator;
  threshold: number;
  label: LocalizedText;
  source: string;
}

export interface ScaleSpec {
  id: string;
  name: LocalizedText;
  /** LOINC (or other) code of the score, used for the exported Observation. */
  code: Coding | null;
  method: ScaleMethod;
  items: string[];
  reverse: string[];
  itemMin: number | null;
  itemMax: number | null;
  /** Largest fraction of items that may be missing and still give a score (0 = all items needed). */
  maxMissingFraction: number;
  multiplier: number;
  decimals: number | null;
  subscaleOf: string | null;
  direction: Direction;
  bands: Band[];
  bandsSource: string | null;
  flags: ScaleFlag[];
  /** A published clinical cut-off; Jacobson–Truax c from the two norm groups is preferred when both exist. */
  cutoff: Sourced | null;
  reliability: Reliability | null;
  sd: Sourced | null;
  clinical: NormGroup | null;
  nonClinical: NormGroup | null;
  /** A published minimum reliable change in raw points (e.g. IAPT's 6 for PHQ-9). */
  reliableChange: Sourced | null;
  norms: NormGroup[];
}

/** An item whose answer alone raises a flag, whatever the total (PHQ-9 item 9 > 0). */
export interface RiskSpec {
  item: string;
  operator: Operator;
  threshold: number;
  code: string;
  label: LocalizedText;
  source: string | null;
}

export interface LicenceSpec {
  licence: string;
  licenceUrl: string | null;
  /** Where the wording was taken from. */
  source: string;
  redistributable: boolean;
  nonCommercialOnly: boolean;
  /** False for no-derivatives licences: no own translation, no edits. */
  modificationAllowed: boolean;
  requiresAcknowledgement: boolean;
  showCopyrightOnForm: boolean;
}

export interface CatalogSpec {
  shippedByDefault: boolean;
  projectAuthored: boolean;
  audience: Audience;
  /** Id of the known instrument whose rules an imported questionnaire received. */
  basedOn: string | null;
}

export interface TranslationStatus {
  lang: string;
  status: TranslationState;
  source: string | null;
}

export interface ScoringSpec {
  scales: ScaleSpec[];
  risks: RiskSpec[];
  licence: LicenceSpec | null;
  catalog: CatalogSpec;
  translations: TranslationStatus[];
}

export const DEFAULT_CATALOG: CatalogSpec = { shippedByDefault: false, projectAuthored: false, audience: 'any', basedOn: null };

export function emptySpec(): ScoringSpec {
  return { scales: [], risks: [], licence: null, catalog: { ...DEFAULT_CATALOG }, translations: [] };
}
