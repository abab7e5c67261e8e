import { local, type Answers, type LocalText, type SelfCheckItem } from './types.ts';

/**
 * Module 3 of the self-check: resilience and maintenance, the second and third of the "three R's" of
 * seed 004 (the spark, resilience, regular maintenance).
 *
 * Resilience is measured with the Brief Resilience Scale (Smith et al., 2008): six items, 1–5, items 2, 4
 * and 6 reverse-scored, the score is the mean. Its items come from the FHIR Questionnaire in
 * instruments/ (written by the instruments engineer) and are scored by that instrument's declared rules;
 * `brsScore` here mirrors the published rule for tests and for the fallback. The bands are those of
 * Smith et al. (2013): 1.00–2.99 low, 3.00–4.30 normal, 4.31–5.00 high.
 *
 * Workload, life events and the maintenance hours are written by Spiegel (not a validated instrument).
 */

export type BrsBand = 'low' | 'normal' | 'high';

export const BRS_BANDS: Record<BrsBand, LocalText> = {
  low: local('laag (1,00–2,99)', 'low (1.00–2.99)'),
  normal: local('gemiddeld (3,00–4,30)', 'normal (3.00–4.30)'),
  high: local('hoog (4,31–5,00)', 'high (4.31–5.00)'),
};

export const BRS_SOURCE: LocalText = local(
  'Smith, B.W. e.a. (2008). The Brief Resilience Scale: assessing the ability to bounce back. International Journal of Behavioral Medicine, 15, 194–200. Banden: Smith e.a. (2013).',
  'Smith, B.W. et al. (2008). The Brief Resilience Scale: assessing the ability to bounce back. International Journal of Behavioral Medicine, 15, 194–200. Bands: Smith et al. (2013).',
);

export const BRS_LIMITS: LocalText = local(
  'De banden zijn vuistregels van de auteurs, geen Nederlandse normen. De BRS meet hoe je jezelf inschat in het terugveren na stress; het is geen diagnose.',
  'The bands are the authors’ rules of thumb, not Dutch norms. The BRS measures how you see your own ability to bounce back after stress; it is not a diagnosis.',
);

/** Band of a BRS mean score (two-decimal boundaries as published). */
export function brsBand(mean: number): BrsBand {
  const rounded = Math.round(mean * 100) / 100;
  if (rounded < 3) return 'low';
  if (rounded <= 4.3) return 'normal';
  return 'high';
}

/** The published rule: mean of six 1–5 answers with the 2nd, 4th and 6th reversed; null unless all six. */
export function brsScore(answersInItemOrder: Array<number | null>): number | null {
  if (answersInItemOrder.length !== 6 || answersInItemOrder.some((a) => a === null || a < 1 || a > 5)) return null;
  const values = answersInItemOrder as number[];
  const total = values.reduce((sum, a, i) => sum + (i % 2 === 1 ? 6 - a : a), 0);
  return total / 6;
}

const SPIEGEL = { kind: 'spiegel' } as const;
const HOURS = local('uur sinds de vorige check', 'hours since the previous check');

function hours(id: string, nl: string, en: string): SelfCheckItem {
  return { id, text: local(nl, en), input: { kind: 'number', min: 0, max: 2000, unit: HOURS }, provenance: SPIEGEL };
}

export const MAINTENANCE_IDS = [
  'maintenance.supervision',
  'maintenance.intervision',
  'maintenance.ownTherapy',
  'maintenance.training',
  'maintenance.practice',
] as const;

export const LIFE_EVENTS = [
  { code: 'ownIllness', label: local('eigen ziekte of gezondheidsklachten', 'own illness or health problems') },
  {
    code: 'careForOthers',
    label: local('zorg voor een naaste (ziekte, ouderdom)', 'caring for someone close (illness, old age)'),
  },
  { code: 'bereavement', label: local('verlies van een dierbare', 'loss of a loved one') },
  {
    code: 'youngChildren',
    label: local('jonge kinderen of grotere zorgtaken thuis', 'young children or more care at home'),
  },
  { code: 'relationship', label: local('verandering in een relatie', 'a change in a relationship') },
  { code: 'move', label: local('verhuizing of nieuwe baan', 'a move or a new job') },
  {
    code: 'clientIncident',
    label: local(
      'ingrijpende gebeurtenis met een cliënt (agressie, suïcide, stalking)',
      'a serious event with a client (aggression, suicide, stalking)',
    ),
  },
  { code: 'other', label: local('iets anders', 'something else') },
];

/** Workload, life phase and regular maintenance (project-authored). */
export const MAINTENANCE_ITEMS: SelfCheckItem[] = [
  {
    id: 'workload.rating',
    text: local(
      'Hoe zwaar ervaar je je werkbelasting op dit moment?',
      'How heavy does your workload feel at the moment?',
    ),
    input: {
      kind: 'scale',
      min: 1,
      max: 10,
      minLabel: local('heel licht', 'very light'),
      maxLabel: local('niet vol te houden', 'unsustainable'),
    },
    provenance: SPIEGEL,
  },
  {
    id: 'workload.clientsPerWeek',
    text: local(
      'Hoeveel cliëntcontacten heb je in een gewone week?',
      'How many client contacts do you have in an ordinary week?',
    ),
    input: { kind: 'number', min: 0, max: 200, unit: local('per week', 'per week') },
    provenance: SPIEGEL,
  },
  {
    id: 'life.events',
    text: local(
      'Wat speelde er sinds de vorige check in je leven? (meerdere mogelijk)',
      'What happened in your life since the previous check? (tick any)',
    ),
    input: { kind: 'checks', options: LIFE_EVENTS },
    provenance: SPIEGEL,
  },
  {
    id: 'life.note',
    text: local(
      'Levensfase en gebeurtenissen: wat vraagt nu aandacht?',
      'Phase of life and events: what needs attention now?',
    ),
    input: { kind: 'text', maxLength: 4000 },
    provenance: SPIEGEL,
  },
  hours('maintenance.supervision', 'Supervisie', 'Supervision'),
  hours('maintenance.intervision', 'Intervisie of intercollegiaal overleg', 'Intervision or peer consultation'),
  hours('maintenance.ownTherapy', 'Eigen therapie of leertherapie', 'Own therapy or training therapy'),
  hours('maintenance.training', 'Scholing en opleiding', 'Courses and training'),
  hours('maintenance.practice', 'Doelbewust oefenen (deliberate practice)', 'Deliberate practice'),
];

export interface MaintenanceSummary {
  workload: number | null;
  events: string[];
  hours: Record<(typeof MAINTENANCE_IDS)[number], number | null>;
}

export function maintenanceSummary(answers: Answers): MaintenanceSummary {
  const value = (id: string) => (typeof answers[id] === 'number' ? (answers[id] as number) : null);
  const events =
    typeof answers['life.events'] === 'string' && answers['life.events'] !== ''
      ? (answers['life.events'] as string).split(',')
      : [];
  const hoursOut = Object.fromEntries(MAINTENANCE_IDS.map((id) => [id, value(id)])) as MaintenanceSummary['hours'];
  return { workload: value('workload.rating'), events, hours: hoursOut };
}
