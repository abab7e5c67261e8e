import type { QuestionnaireGroup } from './questionnaire-items.ts';
import { local, type LocalText, type SelfCheckItem } from './types.ts';

/**
 * Module 1 of the self-check: emotions in therapy, from seed 000 ('t Lam & Vingerhoets, "Als de
 * hulpverlener het zelf niet droog houdt", 819 Dutch therapists).
 *
 * The items of tables 1–3 and the two general crying questions come at run time from the FHIR
 * Questionnaire `spiegel-tears` in instruments/ (the instruments engineer's; linkIds used here). This
 * file adds what the Questionnaire does not hold: per item the percentage of the study's therapists that
 * agreed or answered yes (overall and by gender, as printed; some printed percentages do not match their
 * counts and are kept as printed), and five questions the article quotes or reports on in its text.
 */

export const TEARS_INSTRUMENT_ID = 'spiegel-tears';

export interface ReferencePercent {
  group: LocalText;
  counts: LocalText;
  table: string;
  /** n is null where the article prints only the percentage. */
  total: { n: number | null; pct: number } | null;
  men: { n: number | null; pct: number } | null;
  women: { n: number | null; pct: number } | null;
}

type Count = [n: number | null, pct: number];

function ref(
  table: string,
  group: LocalText,
  counts: LocalText,
  men: Count | null,
  women: Count | null,
  total: Count | null,
): ReferencePercent {
  return {
    table,
    group,
    counts,
    men: men && { n: men[0], pct: men[1] },
    women: women && { n: women[0], pct: women[1] },
    total: total && { n: total[0], pct: total[1] },
  };
}

const NEVER_GROUP = local(
  'therapeuten die nooit tijdens therapie huilden (N=104; 18 mannen, 86 vrouwen)',
  'therapists who never cried in therapy (N=104; 18 men, 86 women)',
);
const ALL_GROUP = local(
  'alle therapeuten in het onderzoek (N=819; 204 mannen, 615 vrouwen)',
  'all therapists in the study (N=819; 204 men, 615 women)',
);
const CRIED_GROUP = local(
  'therapeuten die weleens in therapie huilden (N=715)',
  'therapists who had cried in therapy (N=715)',
);
const AGREED = local('eens', 'agreed');
const YES = local('ja', 'yes');

function table(
  name: string,
  group: LocalText,
  counts: LocalText,
  prefix: string,
  rows: Array<[Count, Count, Count]>,
): Record<string, ReferencePercent> {
  return Object.fromEntries(
    rows.map(([men, women, total], i) => [`${prefix}-${i + 1}`, ref(name, group, counts, men, women, total)]),
  );
}

/** Reference percentages by linkId of the `spiegel-tears` Questionnaire (and of the extra items below). */
export const TEARS_REFERENCES: Record<string, ReferencePercent> = {
  'ever-cried': ref('§ Resultaten', ALL_GROUP, YES, [null, 90.7], [null, 86.2], [715, 87.4]),
  'in-session-allow': ref(
    '§ Resultaten',
    ALL_GROUP,
    local('neiging om tranen toe te laten', 'tendency to allow tears'),
    [null, 34.8],
    [null, 25.2],
    null,
  ),
  'in-session-discuss': ref(
    '§ Resultaten',
    CRIED_GROUP,
    local('besprak de eigen ontroering met de cliënt', 'discussed their own emotion with the client'),
    null,
    null,
    [null, 41.1],
  ),
  ...table('Tabel 1', NEVER_GROUP, AGREED, 'never', [
    [
      [17, 94.5],
      [72, 84.7],
      [89, 86.4],
    ],
    [
      [13, 72.2],
      [66, 82.1],
      [79, 76.7],
    ],
    [
      [13, 72.2],
      [65, 76.4],
      [78, 75.7],
    ],
    [
      [9, 50.0],
      [63, 74.1],
      [72, 69.9],
    ],
    [
      [7, 38.9],
      [40, 51.6],
      [47, 45.6],
    ],
    [
      [3, 16.7],
      [13, 15.4],
      [16, 15.6],
    ],
  ]),
  ...table('Tabel 2', ALL_GROUP, local('ja, kan een aanleiding zijn', 'yes, can be a reason'), 'occasion', [
    [
      [169, 82.8],
      [496, 80.7],
      [665, 81.2],
    ],
    [
      [117, 57.4],
      [335, 54.5],
      [452, 55.2],
    ],
    [
      [90, 44.1],
      [266, 43.3],
      [356, 43.5],
    ],
    [
      [79, 38.7],
      [228, 37.1],
      [307, 37.5],
    ],
    [
      [40, 19.6],
      [100, 16.3],
      [140, 17.1],
    ],
    [
      [36, 17.6],
      [97, 15.8],
      [133, 16.2],
    ],
    [
      [31, 15.2],
      [87, 14.1],
      [118, 14.4],
    ],
    [
      [29, 14.2],
      [88, 14.3],
      [117, 14.3],
    ],
    [
      [16, 7.8],
      [57, 9.3],
      [73, 8.9],
    ],
  ]),
  ...table('Tabel 3', ALL_GROUP, AGREED, 'attitude', [
    [
      [191, 93.6],
      [580, 94.3],
      [771, 94.2],
    ],
    [
      [134, 65.7],
      [406, 66.0],
      [540, 65.9],
    ],
    [
      [131, 64.2],
      [403, 65.5],
      [534, 65.2],
    ],
    [
      [78, 38.2],
      [197, 32.1],
      [275, 33.5],
    ],
    [
      [8, 3.9],
      [19, 3.1],
      [27, 3.3],
    ],
    [
      [5, 2.5],
      [8, 1.3],
      [13, 1.6],
    ],
    [
      [4, 2.0],
      [7, 1.1],
      [11, 1.3],
    ],
    [
      [1, 0.5],
      [4, 0.7],
      [5, 0.6],
    ],
    [
      [2, 1.0],
      [2, 0.3],
      [4, 0.5],
    ],
  ]),
};

/** Mean frequencies over the past year among the 715 therapists who had cried (the article gives no SD). */
export const FREQUENCY_MEANS: Record<string, number> = {
  'in-session-lump': 13,
  'in-session-eyes': 10,
  'in-session-cheeks': 2,
};

const SEED = { kind: 'seed', seed: '000', translatedBy: 'spiegel' } as const;
const AGREE_7 = {
  kind: 'scale',
  min: 1,
  max: 7,
  minLabel: local('helemaal niet mee eens', 'strongly disagree'),
  maxLabel: local('helemaal mee eens', 'strongly agree'),
} as const;
const IF_CRIED = { question: 'ever-cried', equals: true };

function frequency(id: string, nl: string, en: string): SelfCheckItem {
  return {
    id,
    text: local(nl, en),
    input: { kind: 'number', min: 0, max: 500, unit: local('keer in het afgelopen jaar', 'times in the past year') },
    provenance: SEED,
    enableWhen: IF_CRIED,
  };
}

/** Questions the article quotes (allow, discuss) or reports frequencies for; not in the Questionnaire. */
export const IN_SESSION_ITEMS: SelfCheckItem[] = [
  {
    id: 'in-session-allow',
    text: local(
      'Als u tranen voelt opkomen tijdens een therapiesessie, heeft u dan de neiging deze toe te laten?',
      'When you feel tears coming up during a therapy session, do you tend to allow them?',
    ),
    input: AGREE_7,
    provenance: SEED,
  },
  {
    id: 'in-session-discuss',
    text: local(
      'Bespreekt u uw eigen verdriet/huilen met uw cliënten?',
      'Do you discuss your own sadness/crying with your clients?',
    ),
    input: AGREE_7,
    provenance: SEED,
  },
  frequency(
    'in-session-lump',
    'Hoe vaak had u in het afgelopen jaar een brok in uw keel tijdens een therapiesessie?',
    'How often in the past year did you have a lump in your throat during a therapy session?',
  ),
  frequency(
    'in-session-eyes',
    'Hoe vaak kreeg u in het afgelopen jaar tranen in uw ogen tijdens een therapiesessie?',
    'How often in the past year did you get tears in your eyes during a therapy session?',
  ),
  frequency(
    'in-session-cheeks',
    'Hoe vaak rolden er in het afgelopen jaar tranen over uw wangen tijdens een therapiesessie?',
    'How often in the past year did tears roll down your cheeks during a therapy session?',
  ),
];

export interface TearsSection {
  id: string;
  title: LocalText;
  intro?: LocalText;
  items: SelfCheckItem[];
}

const IN_SESSION_TITLE = local('Tranen in de sessie', 'Tears in the session');

/**
 * The module's sections: the Questionnaire's groups in order, with the loose "ever cried" question and
 * the extra in-session questions together in one section. Group conditions (enableWhen) move onto the
 * items, with a hint. Without the Questionnaire, only the extra questions remain.
 */
export function tearsSections(groups: QuestionnaireGroup[] | null): TearsSection[] {
  if (!groups)
    return [
      {
        id: 'in-session',
        title: IN_SESSION_TITLE,
        items: IN_SESSION_ITEMS.map((i) => ({ ...i, enableWhen: undefined })),
      },
    ];
  const sections: TearsSection[] = [];
  for (const group of groups) {
    const items = group.items.map((item) =>
      group.enableWhen ? { ...item, enableWhen: group.enableWhen, hint: conditionHint(group.enableWhen.equals) } : item,
    );
    if (group.title.nl === '' && items.some((i) => i.id === 'ever-cried')) {
      sections.push({
        id: 'in-session',
        title: IN_SESSION_TITLE,
        items: [
          ...items,
          ...IN_SESSION_ITEMS.map((i) => ({ ...i, hint: i.enableWhen ? conditionHint(true) : undefined })),
        ],
      });
    } else {
      sections.push({ id: group.linkId, title: group.title, items });
    }
  }
  return sections;
}

function conditionHint(everCried: boolean): LocalText {
  return everCried
    ? local('Alleen als u weleens tijdens een sessie hebt gehuild.', 'Only if you have ever cried during a session.')
    : local(
        'Alleen als u nooit tijdens een therapiesessie hebt gehuild.',
        'Only if you have never cried during a therapy session.',
      );
}

export const SEED_000_SOURCE: LocalText = local(
  "C. 't Lam & A.J.J.M. Vingerhoets, 'Als de hulpverlener het zelf niet droog houdt' (tranen van de therapeut), 819 Nederlandse therapeuten.",
  "C. 't Lam & A.J.J.M. Vingerhoets, 'Als de hulpverlener het zelf niet droog houdt' (tears of the therapist), 819 Dutch therapists.",
);
