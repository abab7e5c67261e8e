import type { QuestionnaireResponse, ResponseItem } from '../instruments/fhir.ts';
import { answersOf } from './dataset.ts';
import type { Survey } from './survey.ts';

/**
 * Double data entry of paper questionnaires: two people (or one, twice) type the same paper; every
 * item where the two entries differ is a discrepancy the researcher resolves by looking at the paper.
 */

export interface Discrepancy {
  item: string;
  first: number | string | null;
  second: number | string | null;
}

/** The items (in survey order) whose answers differ between the two entries; blank counts as a value. */
export function discrepancies(
  survey: Survey,
  first: QuestionnaireResponse,
  second: QuestionnaireResponse,
): Discrepancy[] {
  const a = answersOf(first);
  const b = answersOf(second);
  return survey.items
    .filter((item) => (a.get(item.name) ?? null) !== (b.get(item.name) ?? null))
    .map((item) => ({ item: item.name, first: a.get(item.name) ?? null, second: b.get(item.name) ?? null }));
}

/**
 * The final response: the first entry with each discrepant item taken from the entry the researcher
 * chose for it (`choice[item]` is 1 or 2).
 */
export function resolveEntries(
  survey: Survey,
  first: QuestionnaireResponse,
  second: QuestionnaireResponse,
  choice: Record<string, 1 | 2>,
): QuestionnaireResponse {
  const byName = (r: QuestionnaireResponse) => new Map((r.item ?? []).map((i) => [i.linkId, i]));
  const one = byName(first);
  const two = byName(second);
  const items: ResponseItem[] = [];
  for (const item of survey.items) {
    const picked = (choice[item.name] ?? 1) === 2 ? two.get(item.name) : one.get(item.name);
    if (picked) items.push(picked);
  }
  return { ...first, item: items };
}
