import { SpiegelError } from '../errors.ts';
import { MOTIVATION_GROUPS, MOTIVATION_SOURCE, MOTIVATION_THEMES, SPARK_ITEM, themeItems } from './motivation.ts';
import { BRS_SOURCE, MAINTENANCE_ITEMS } from './resilience.ts';
import { SELF_VIEW_ITEMS } from './self-view.ts';
import type { QuestionnaireGroup } from './questionnaire-items.ts';
import { SEED_000_SOURCE, tearsSections } from './tears.ts';
import { local, type Answers, type AnswerValue, type LocalText, type SelfCheckItem } from './types.ts';

/**
 * Composition of the self-check: four modules plus the three intentions, each a list of sections of
 * items; and the parsing of a submitted module form into validated answers. Every answer is optional:
 * the check-up is a reflection, not a test.
 */

export const MODULE_IDS = ['emotions', 'motivation', 'resilience', 'selfview', 'intentions'] as const;
export type ModuleId = (typeof MODULE_IDS)[number];

export function isModuleId(value: unknown): value is ModuleId {
  return typeof value === 'string' && (MODULE_IDS as readonly string[]).includes(value);
}

export interface Section {
  id: string;
  title: LocalText;
  intro?: LocalText;
  items: SelfCheckItem[];
}

export interface ModuleDefinition {
  id: ModuleId;
  title: LocalText;
  intro: LocalText;
  sections: Section[];
  sources: LocalText[];
  /** Copyright lines the instruments' licences ask to show on the form. */
  copyright: string[];
}

/** Items supplied at run time from FHIR Questionnaires in instruments/ (null when not installed). */
export interface InstrumentItems {
  brs: { instrumentId: string; items: SelfCheckItem[]; copyright?: string | null } | null;
  /** The seed-000 questionnaire (`spiegel-tears`), as its top-level groups. */
  tears: { instrumentId: string; groups: QuestionnaireGroup[]; copyright?: string | null } | null;
}

export const INTENTION_IDS = ['intention.1', 'intention.2', 'intention.3'] as const;

function intentionItems(): SelfCheckItem[] {
  return INTENTION_IDS.map((id, i) => ({
    id,
    text: local(`Voornemen ${i + 1}`, `Intention ${i + 1}`),
    input: { kind: 'text', maxLength: 1000 },
    provenance: { kind: 'spiegel' },
  }));
}

export function selfCheckModules(instruments: InstrumentItems): ModuleDefinition[] {
  const motivationSections: Section[] = (['became', 'stay'] as const).map((group) => ({
    id: group,
    title: MOTIVATION_GROUPS[group],
    items: MOTIVATION_THEMES.filter((t) => t.group === group).flatMap(themeItems),
  }));
  motivationSections.push({ id: 'spark', title: local('De vonk', 'The spark'), items: [SPARK_ITEM] });

  return [
    {
      id: 'emotions',
      title: local('Emoties in de therapie', 'Emotions in therapy'),
      intro: local(
        'Vragen over ontroering en tranen, van jezelf en van cliënten, uit het onderzoek onder 819 Nederlandse therapeuten. In je rapport zie je daarna hoe de therapeuten in dat onderzoek antwoordden, en waar normen bestaan een vergelijking.',
        'Questions about being moved and about tears, your own and your clients’, from the study of 819 Dutch therapists. Your report then shows how the therapists in that study answered and, where norms exist, a comparison.',
      ),
      sections: tearsSections(instruments.tears?.groups ?? null),
      sources: [SEED_000_SOURCE],
      copyright: instruments.tears?.copyright ? [instruments.tears.copyright] : [],
    },
    {
      id: 'motivation',
      title: local(
        'Motivatie: wat bracht je hier, wat houdt je hier?',
        'Motivation: what brought you here, what keeps you here?',
      ),
      intro: local(
        'Geef per thema aan hoe sterk het toen (bij de start van je loopbaan) en nu voor jou speelt, van 1 (geen rol) tot 5 (een grote rol).',
        'For each theme, rate how strongly it played a part then (at the start of your career) and now, from 1 (no part) to 5 (a large part).',
      ),
      sections: motivationSections,
      sources: [MOTIVATION_SOURCE],
      copyright: [],
    },
    {
      id: 'resilience',
      title: local('Veerkracht en onderhoud', 'Resilience and maintenance'),
      intro: local(
        'De drie R’s van Van Oosterzee: de vonk, veerkracht en regelmatig onderhoud. Eerst de Brief Resilience Scale, dan werkbelasting, levensfase en wat je sinds de vorige check aan onderhoud deed.',
        'Van Oosterzee’s three R’s: the spark, resilience and regular maintenance. First the Brief Resilience Scale, then workload, phase of life and the maintenance you did since the previous check.',
      ),
      sections: [
        ...(instruments.brs
          ? [
              {
                id: 'brs',
                title: local('Brief Resilience Scale', 'Brief Resilience Scale'),
                items: instruments.brs.items,
              },
            ]
          : []),
        {
          id: 'workload',
          title: local('Werkbelasting en levensfase', 'Workload and phase of life'),
          items: MAINTENANCE_ITEMS.filter((i) => !i.id.startsWith('maintenance.')),
        },
        {
          id: 'maintenance',
          title: local('Onderhoud sinds de vorige check', 'Maintenance since the previous check'),
          items: MAINTENANCE_ITEMS.filter((i) => i.id.startsWith('maintenance.')),
        },
      ],
      sources: instruments.brs ? [BRS_SOURCE, MOTIVATION_SOURCE] : [MOTIVATION_SOURCE],
      copyright: instruments.brs?.copyright ? [instruments.brs.copyright] : [],
    },
    {
      id: 'selfview',
      title: local('Professioneel zelfbeeld', 'Professional self-view'),
      intro: local(
        'Hoe effectief schat je jezelf in, en hoe verhoud je je tot je eigen twijfel?',
        'How effective do you think you are, and how do you relate to your own doubt?',
      ),
      sections: [{ id: 'selfview', title: local('Zelfbeeld', 'Self-view'), items: SELF_VIEW_ITEMS }],
      sources: [
        local(
          'Frans van Paassen, artikel over de effectieve therapeut.',
          'Frans van Paassen, article on the effective therapist.',
        ),
      ],
      copyright: [],
    },
    {
      id: 'intentions',
      title: local('Drie voornemens', 'Three intentions'),
      intro: local(
        'Kies drie voornemens tot de volgende check. Ze komen bovenaan je rapport.',
        'Choose three intentions until the next check-up. They head your report.',
      ),
      sections: [{ id: 'intentions', title: local('Voornemens', 'Intentions'), items: intentionItems() }],
      sources: [],
      copyright: [],
    },
  ];
}

export function moduleById(modules: ModuleDefinition[], id: ModuleId): ModuleDefinition {
  const found = modules.find((m) => m.id === id);
  if (!found) throw new SpiegelError('NOT_FOUND');
  return found;
}

export function moduleItems(module: ModuleDefinition): SelfCheckItem[] {
  return module.sections.flatMap((s) => s.items);
}

export interface FieldError {
  id: string;
  message: LocalText;
}

function parseOne(item: SelfCheckItem, raw: unknown): { value?: AnswerValue; error?: LocalText } {
  const input = item.input;
  if (input.kind === 'checks') {
    const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && v !== '');
    if (list.length === 0) return {};
    const known = new Set(input.options.map((o) => o.code));
    if (list.some((code) => !known.has(code)))
      return { error: local('Kies uit de getoonde mogelijkheden.', 'Choose from the options shown.') };
    return {
      value: input.options
        .map((o) => o.code)
        .filter((code) => list.includes(code))
        .join(','),
    };
  }
  if (Array.isArray(raw)) return { error: local('Geef één antwoord.', 'Give one answer.') };
  if (typeof raw !== 'string' || raw.trim() === '') return {};
  const text = raw.trim();
  switch (input.kind) {
    case 'scale': {
      const n = Number(text);
      if (!Number.isInteger(n) || n < input.min || n > input.max)
        return {
          error: local(
            `Kies een waarde van ${input.min} tot ${input.max}.`,
            `Choose a value from ${input.min} to ${input.max}.`,
          ),
        };
      return { value: n };
    }
    case 'number': {
      const n = Number(text.replace(',', '.'));
      if (!Number.isFinite(n) || n < input.min || n > input.max)
        return {
          error: local(
            `Vul een getal in van ${input.min} tot ${input.max}.`,
            `Enter a number from ${input.min} to ${input.max}.`,
          ),
        };
      return { value: n };
    }
    case 'yesno':
      if (text !== 'yes' && text !== 'no') return { error: local('Kies ja of nee.', 'Choose yes or no.') };
      return { value: text === 'yes' };
    case 'choice':
      if (!input.options.some((o) => o.code === text))
        return { error: local('Kies uit de getoonde mogelijkheden.', 'Choose from the options shown.') };
      return { value: text };
    case 'text':
      if (text.length > input.maxLength)
        return { error: local(`Maximaal ${input.maxLength} tekens.`, `At most ${input.maxLength} characters.`) };
      return { value: text };
  }
}

/**
 * Validates a submitted module form. Unknown fields are ignored; empty fields mean "not answered";
 * answers to items whose condition (enableWhen) is answered the other way are dropped.
 */
export function parseModuleForm(
  module: ModuleDefinition,
  body: Record<string, unknown>,
): { answers: Answers; errors: FieldError[] } {
  const answers: Answers = {};
  const errors: FieldError[] = [];
  const items = moduleItems(module);
  for (const item of items) {
    const result = parseOne(item, body[item.id]);
    if (result.error) errors.push({ id: item.id, message: result.error });
    else if (result.value !== undefined) answers[item.id] = result.value;
  }
  for (const item of items) {
    const gate = item.enableWhen ? answers[item.enableWhen.question] : undefined;
    if (item.enableWhen && gate !== undefined && gate !== item.enableWhen.equals) delete answers[item.id];
  }
  return { answers, errors };
}

/** Replaces one module's answers in the whole answer set (answers cleared in the form are removed). */
export function mergeModuleAnswers(all: Answers, module: ModuleDefinition, answers: Answers): Answers {
  const ids = new Set(moduleItems(module).map((i) => i.id));
  const kept = Object.fromEntries(Object.entries(all).filter(([id]) => !ids.has(id)));
  return { ...kept, ...answers };
}

export function moduleProgress(module: ModuleDefinition, answers: Answers): { answered: number; total: number } {
  const items = moduleItems(module);
  return { answered: items.filter((i) => answers[i.id] !== undefined).length, total: items.length };
}
