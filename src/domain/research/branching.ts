/**
 * Which survey items a response's branching left out: the instruments engine's enableWhen evaluation
 * (R4 semantics), so the form, validation and dataset agree on what was asked.
 */
import type { QuestionnaireResponse, ResponseAnswer } from '../instruments/fhir.ts';
import { disabledItems, type AnswerMap } from '../instruments/enable-when.ts';
import { IssueList } from '../instruments/issues.ts';
import { checkQuestionnaireStructure, type ItemIndex } from '../instruments/questionnaire-structure.ts';
import type { Survey } from './survey.ts';

const indexes = new WeakMap<object, ItemIndex>();

function indexOf(survey: Survey): ItemIndex {
  let index = indexes.get(survey.questionnaire);
  if (!index) {
    index = checkQuestionnaireStructure(survey.questionnaire, new IssueList()) ?? new Map();
    indexes.set(survey.questionnaire, index);
  }
  return index;
}

/** Items disabled for this response's answers. */
export function disabledFor(survey: Survey, response: QuestionnaireResponse): Set<string> {
  const answers: AnswerMap = new Map();
  const walk = (items: QuestionnaireResponse['item']) => {
    for (const item of items ?? []) {
      if (item.answer?.length) answers.set(item.linkId, item.answer as ResponseAnswer[]);
      if (item.item) walk(item.item);
    }
  };
  walk(response.item);
  return disabledItems(indexOf(survey), answers);
}
