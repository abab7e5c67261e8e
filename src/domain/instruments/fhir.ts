/**
 * The slice of FHIR R4 that instruments use, typed loosely on purpose: every resource arrives as untrusted
 * JSON and is validated field by field, so these types describe what validation guarantees, nothing more.
 * (The @types/fhir package describes STU3, whose Questionnaire differs from R4; hence our own.)
 */

export interface Coding {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
  extension?: Extension[];
}

export interface Extension {
  url: string;
  extension?: Extension[];
  valueString?: string;
  valueCode?: string;
  valueId?: string;
  valueUri?: string;
  valueBoolean?: boolean;
  valueInteger?: number;
  valueDecimal?: number;
  valueCoding?: Coding;
  valueExpression?: { name?: string; language?: string; expression?: string; description?: string };
  [key: string]: unknown;
}

export interface AnswerOption {
  valueCoding?: Coding;
  valueInteger?: number;
  valueString?: string;
  valueDate?: string;
  valueTime?: string;
  valueReference?: { reference?: string; display?: string };
  initialSelected?: boolean;
  extension?: Extension[];
  [key: string]: unknown;
}

export interface EnableWhen {
  question: string;
  operator: string;
  [answer: string]: unknown;
}

export interface QuestionnaireItem {
  linkId: string;
  type: string;
  text?: string;
  _text?: { extension?: Extension[] };
  prefix?: string;
  code?: Coding[];
  required?: boolean;
  repeats?: boolean;
  readOnly?: boolean;
  maxLength?: number;
  enableWhen?: EnableWhen[];
  enableBehavior?: 'all' | 'any';
  answerOption?: AnswerOption[];
  answerValueSet?: string;
  extension?: Extension[];
  item?: QuestionnaireItem[];
  [key: string]: unknown;
}

export interface Questionnaire {
  resourceType: 'Questionnaire';
  id?: string;
  url?: string;
  version?: string;
  name?: string;
  title?: string;
  _title?: { extension?: Extension[] };
  status: string;
  language?: string;
  description?: string;
  copyright?: string;
  code?: Coding[];
  identifier?: { system?: string; value?: string }[];
  extension?: Extension[];
  item?: QuestionnaireItem[];
  [key: string]: unknown;
}

export interface ResponseAnswer {
  valueBoolean?: boolean;
  valueDecimal?: number;
  valueInteger?: number;
  valueDate?: string;
  valueDateTime?: string;
  valueTime?: string;
  valueString?: string;
  valueUri?: string;
  valueCoding?: Coding;
  valueQuantity?: { value?: number; unit?: string; system?: string; code?: string };
  item?: ResponseItem[];
  [key: string]: unknown;
}

export interface ResponseItem {
  linkId: string;
  text?: string;
  answer?: ResponseAnswer[];
  item?: ResponseItem[];
  [key: string]: unknown;
}

export interface QuestionnaireResponse {
  resourceType: 'QuestionnaireResponse';
  id?: string;
  questionnaire?: string;
  status: string;
  subject?: { reference?: string; display?: string };
  authored?: string;
  item?: ResponseItem[];
  [key: string]: unknown;
}

export interface Observation {
  resourceType: 'Observation';
  id?: string;
  status: string;
  category?: { coding?: Coding[]; text?: string }[];
  code: { coding?: Coding[]; text?: string };
  subject?: { reference?: string; display?: string };
  effectiveDateTime?: string;
  valueQuantity?: { value?: number; unit?: string; system?: string; code?: string };
  dataAbsentReason?: { coding?: Coding[]; text?: string };
  interpretation?: { coding?: Coding[]; text?: string }[];
  derivedFrom?: { reference?: string }[];
  component?: { code: { coding?: Coding[]; text?: string }; valueBoolean?: boolean; valueString?: string; valueQuantity?: { value?: number } }[];
  [key: string]: unknown;
}

export interface BundleEntry {
  fullUrl?: string;
  resource?: unknown;
}

export interface Bundle {
  resourceType: 'Bundle';
  id?: string;
  type: string;
  timestamp?: string;
  entry?: BundleEntry[];
}

/** Extension and code-system URLs. The Spiegel one is documented in docs/instruments.md. */
export const URL = {
  spiegelScoring: 'https://spiegel.example/fhir/StructureDefinition/scoring',
  spiegelScaleCodes: 'https://spiegel.example/fhir/CodeSystem/scale',
  spiegelBandCodes: 'https://spiegel.example/fhir/CodeSystem/band',
  spiegelRiskCodes: 'https://spiegel.example/fhir/CodeSystem/risk',
  ordinalValue: 'http://hl7.org/fhir/StructureDefinition/ordinalValue',
  itemWeight: 'http://hl7.org/fhir/StructureDefinition/itemWeight',
  translation: 'http://hl7.org/fhir/StructureDefinition/translation',
  minValue: 'http://hl7.org/fhir/StructureDefinition/minValue',
  maxValue: 'http://hl7.org/fhir/StructureDefinition/maxValue',
  itemControl: 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl',
  variable: 'http://hl7.org/fhir/StructureDefinition/variable',
  calculatedExpression: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  dataAbsentReason: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
} as const;

/** R4 Questionnaire.item.type codes. `question` is abstract in R4 and not allowed on an item. */
export const ITEM_TYPES = [
  'group', 'display', 'boolean', 'decimal', 'integer', 'date', 'dateTime', 'time', 'string', 'text', 'url',
  'choice', 'open-choice', 'attachment', 'reference', 'quantity',
] as const;

export const QUESTIONNAIRE_STATUSES = ['draft', 'active', 'retired', 'unknown'] as const;
export const RESPONSE_STATUSES = ['in-progress', 'completed', 'amended', 'entered-in-error', 'stopped'] as const;
export const ENABLE_WHEN_OPERATORS = ['exists', '=', '!=', '>', '<', '>=', '<='] as const;

/** The answer[x] element a response carries for each item type (choice items depend on their options). */
export const ANSWER_KEY_BY_TYPE: Record<string, readonly string[]> = {
  boolean: ['valueBoolean'],
  decimal: ['valueDecimal'],
  integer: ['valueInteger'],
  date: ['valueDate'],
  dateTime: ['valueDateTime'],
  time: ['valueTime'],
  string: ['valueString'],
  text: ['valueString'],
  url: ['valueUri'],
  attachment: ['valueAttachment'],
  reference: ['valueReference'],
  quantity: ['valueQuantity'],
  choice: ['valueCoding', 'valueInteger', 'valueString', 'valueDate', 'valueTime', 'valueReference'],
  'open-choice': ['valueCoding', 'valueInteger', 'valueString', 'valueDate', 'valueTime', 'valueReference'],
};

export const ANSWER_OPTION_KEYS = ['valueInteger', 'valueDate', 'valueTime', 'valueString', 'valueCoding', 'valueReference'] as const;
