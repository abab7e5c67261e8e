import type { AnswerOption, QuestionnaireItem, ResponseAnswer } from '../../domain/instruments/fhir.ts';
import type { CompiledScorer } from '../../domain/instruments/compile.ts';
import { itemRange } from '../../domain/instruments/extensions.ts';

/**
 * The answerable items of a questionnaire in display order, each with the concrete answers a client
 * can pick. The form shows them as radio groups (options, or a 0–10 style integer scale) and posts
 * the index of the chosen answer, so parsing never trusts free text for scored items.
 */
export interface FormQuestion {
  instrumentId: string;
  item: QuestionnaireItem;
  /** Field name in the posted form. */
  field: string;
  choices: Array<{ answer: ResponseAnswer; option: AnswerOption | null; label: string | null }>;
  required: boolean;
}

export interface FormSection {
  scorer: CompiledScorer;
  /** Display items (instructions) and questions, in order. */
  entries: Array<{ kind: 'display'; item: QuestionnaireItem } | { kind: 'question'; question: FormQuestion }>;
}

function choicesOf(item: QuestionnaireItem): FormQuestion['choices'] | null {
  if (item.answerOption?.length) {
    return item.answerOption.map((option) => {
      const { valueCoding, valueInteger, valueString } = option;
      const answer = valueCoding ? { valueCoding } : valueInteger !== undefined ? { valueInteger } : { valueString };
      return { answer: answer as ResponseAnswer, option, label: null };
    });
  }
  if (item.type === 'integer') {
    const { min, max } = itemRange(item.extension);
    if (min === undefined || max === undefined || max - min > 10) return null;
    return Array.from({ length: max - min + 1 }, (_, i) => ({
      answer: { valueInteger: min + i } as ResponseAnswer,
      option: null,
      label: String(min + i),
    }));
  }
  return null;
}

export function formSection(scorer: CompiledScorer, index: number): FormSection {
  const entries: FormSection['entries'] = [];
  const walk = (items: readonly QuestionnaireItem[]) => {
    for (const item of items) {
      if (item.type === 'group') walk(item.item ?? []);
      else if (item.type === 'display') entries.push({ kind: 'display', item });
      else if (!item.readOnly) {
        const choices = choicesOf(item);
        if (choices)
          entries.push({
            kind: 'question',
            question: {
              instrumentId: scorer.instrumentId,
              item,
              field: `q${index}.${item.linkId}`,
              choices,
              required: item.required === true,
            },
          });
      }
    }
  };
  walk(scorer.questionnaire.item ?? []);
  return { scorer, entries };
}

export function questionsOf(section: FormSection): FormQuestion[] {
  return section.entries.flatMap((e) => (e.kind === 'question' ? [e.question] : []));
}

/** Builds the QuestionnaireResponse for one section from posted fields (choice indexes). */
export function responseFromFields(
  section: FormSection,
  fields: Record<string, unknown>,
  authored: Date,
): { response: Record<string, unknown>; problems: Array<{ field: string; message: string }> } {
  const problems: Array<{ field: string; message: string }> = [];
  const items: Array<{ linkId: string; answer: ResponseAnswer[] }> = [];
  for (const question of questionsOf(section)) {
    const raw = fields[question.field];
    if (raw === undefined || raw === '') {
      if (question.required) problems.push({ field: question.field, message: 'is required' });
      continue;
    }
    const index = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
    const choice = question.choices[index];
    if (!choice) {
      problems.push({ field: question.field, message: 'is not one of the answers' });
      continue;
    }
    items.push({ linkId: question.item.linkId, answer: [choice.answer] });
  }
  const response = {
    resourceType: 'QuestionnaireResponse',
    questionnaire: section.scorer.questionnaire.url ?? section.scorer.instrumentId,
    status: 'completed',
    authored: authored.toISOString(),
    item: items,
  };
  return { response, problems };
}
