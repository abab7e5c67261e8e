import type { AnswerOption, QuestionnaireItem, QuestionnaireResponse } from '../../domain/instruments/fhir.ts';
import { optionScore } from '../../domain/instruments/extensions.ts';
import type { CompiledScorer } from '../../domain/instruments/compile.ts';
import type { InstrumentRegistry } from '../../domain/instruments/registry.ts';

export interface DemoInstrument {
  id: string;
  /** Builds a completed QuestionnaireResponse from the scored answers in item order. */
  toResponse(values: readonly number[], authored: Date): QuestionnaireResponse;
}

export interface DemoInstruments {
  phq9: DemoInstrument;
  alliance: DemoInstrument;
  /** Every instrument the demo organisation has enabled. */
  all: string[];
}

function questions(items: readonly QuestionnaireItem[]): QuestionnaireItem[] {
  return items.flatMap((item) =>
    item.type === 'group' ? questions(item.item ?? []) : item.type === 'display' || item.readOnly ? [] : [item],
  );
}

function answerFor(item: QuestionnaireItem, value: number) {
  if (item.answerOption?.length) {
    const option: AnswerOption | undefined = item.answerOption.find(
      (o) => optionScore(o) === value || o.valueInteger === value,
    );
    if (!option) throw new Error(`demo: no option with score ${value} for item ${item.linkId}`);
    const { valueCoding, valueInteger, valueString } = option;
    return valueCoding ? { valueCoding } : valueInteger !== undefined ? { valueInteger } : { valueString };
  }
  return item.type === 'decimal' ? { valueDecimal: value } : { valueInteger: value };
}

function demoInstrument(scorer: CompiledScorer): DemoInstrument {
  const scored = questions(scorer.questionnaire.item ?? []);
  return {
    id: scorer.instrumentId,
    toResponse(values, authored) {
      return {
        resourceType: 'QuestionnaireResponse',
        questionnaire: scorer.questionnaire.url ?? scorer.instrumentId,
        status: 'completed',
        authored: authored.toISOString(),
        item: values.map((value, i) => ({ linkId: scored[i].linkId, answer: [answerFor(scored[i], value)] })),
      } as QuestionnaireResponse;
    },
  };
}

/** The PHQ-9 (LOINC 44249-1) and the project-authored alliance check from the shipped library. */
export async function demoInstruments(registry: InstrumentRegistry): Promise<DemoInstruments> {
  const all = registry.all();
  const phq9 = all.find((s) => s.questionnaire.code?.some((c) => c.code === '44249-1'));
  const alliance = all.find((s) => /alliance|werkrelatie/i.test(s.instrumentId));
  if (!phq9 || !alliance) throw new Error('demo: the shipped library lacks the PHQ-9 or the alliance check');
  const enabled = all
    .filter((s) => s.spec?.catalog.shippedByDefault !== false || s === phq9 || s === alliance)
    .map((s) => s.instrumentId);
  return { phq9: demoInstrument(phq9), alliance: demoInstrument(alliance), all: enabled };
}
