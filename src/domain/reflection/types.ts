/**
 * Shared types of the reflection core (the therapist as a person, issue 9). Pure data: no I/O.
 *
 * Texts are Dutch first with complete English. Where the Dutch is quoted from a seed text and the
 * English is ours, `translatedBy: 'spiegel'` says so, and the UI shows it.
 */

export interface LocalText {
  nl: string;
  en: string;
}

export type Gender = 'female' | 'male' | 'other' | null;

/** Where an item or a text comes from. */
export type Provenance =
  /** Quoted from a seed study (its number), with the English translated by the Spiegel project. */
  | { kind: 'seed'; seed: '000' | '001' | '002' | '003' | '004'; translatedBy: 'spiegel' }
  /** A published instrument, loaded from its FHIR Questionnaire in instruments/. */
  | { kind: 'instrument'; instrumentId: string }
  /** Written by the Spiegel project: not a validated instrument. */
  | { kind: 'spiegel' };

export type ItemInput =
  | { kind: 'scale'; min: number; max: number; minLabel: LocalText; maxLabel: LocalText }
  | { kind: 'yesno' }
  | { kind: 'choice'; options: ChoiceOption[] }
  /** Several options may be ticked; the answer is the ticked codes joined by commas. */
  | { kind: 'checks'; options: ChoiceOption[] }
  | { kind: 'number'; min: number; max: number; unit: LocalText }
  | { kind: 'text'; maxLength: number };

export interface ChoiceOption {
  code: string;
  label: LocalText;
  /** The option's score (FHIR ordinalValue) when it has one. */
  score?: number;
}

export interface SelfCheckItem {
  id: string;
  text: LocalText;
  input: ItemInput;
  provenance: Provenance;
  /** Shown under the item: for example "only if you have never cried in a session". */
  hint?: LocalText;
  /** The item applies only when a yes/no question of the same module has this answer. */
  enableWhen?: { question: string; equals: boolean };
  /** The language the text is really in, per UI language, when it may differ (instrument items). */
  textLang?: { nl: string; en: string };
}

export type AnswerValue = number | boolean | string;
export type Answers = Record<string, AnswerValue>;

export function local(nl: string, en: string): LocalText {
  return { nl, en };
}
