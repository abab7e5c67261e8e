import { local, type Answers, type LocalText, type SelfCheckItem } from './types.ts';

/**
 * Module 2 of the self-check: motivation, from seed 004 (Van Oosterzee, "Wat brengt jou hier?",
 * interviews with fifteen Dutch clinical psychologists and psychotherapists). Theme names are the
 * article's (Dutch); the English names are the Spiegel project's translation. The seed gives themes and
 * how many interviewees named them, not a questionnaire: the "then/now" rating (1–5) and the prompts
 * are written by Spiegel and are not a validated instrument. No norms exist and none are shown.
 */

export interface MotivationTheme {
  code: string;
  group: 'became' | 'stay';
  name: LocalText;
  /** Interviewees (of 15) who named the theme, from the seed's tables 1 and 2. */
  namedBy: number;
}

function theme(code: string, nl: string, en: string, namedBy: number): MotivationTheme {
  return { code, group: code.startsWith('1') ? 'became' : 'stay', name: local(nl, en), namedBy };
}

export const MOTIVATION_THEMES: MotivationTheme[] = [
  theme('1A', 'Zorgzame, empathische aanleg', 'A caring, empathic disposition', 10),
  theme('1B', 'Interesse in de mensheid en psychologie', 'Interest in humankind and psychology', 15),
  theme(
    '1C',
    'Persoonlijke ervaringen met klachten en behandeling',
    'Personal experience of problems and treatment',
    13,
  ),
  theme('1D', 'Willen helpen en iets teruggeven', 'Wanting to help and give something back', 13),
  theme('1E', 'Inspirerende en faciliterende figuren', 'Inspiring and enabling figures', 15),
  theme('1F', 'Inspirerende studie', 'An inspiring study', 15),
  theme('1G', 'Fascinerende (vroege) praktijkervaringen', 'Fascinating (early) practical experiences', 14),
  theme('1H', 'Verlangen naar persoonlijke groei en ontwikkeling', 'A desire for personal growth and development', 15),
  theme('1I', 'Praktische redenen en levensfase', 'Practical reasons and phase of life', 13),
  theme('1J', 'Toevallige en (deels) onbewuste motieven', 'Chance and (partly) unconscious motives', 13),
  theme('2A', 'Zorgzame, empathische aanleg', 'A caring, empathic disposition', 11),
  theme('2B', 'Interesse in de mensheid en psychologie', 'Interest in humankind and psychology', 10),
  theme('2C', 'Willen helpen en iets teruggeven', 'Wanting to help and give something back', 12),
  theme('2D', 'Verlangen naar persoonlijke groei en ontwikkeling', 'A desire for personal growth and development', 11),
  theme('2E', 'Van overleven naar opbloeien', 'From surviving to flourishing', 12),
  theme(
    '2F',
    'Een gave voor het bouwen van bruggen en verbindingen',
    'A gift for building bridges and connections',
    12,
  ),
  theme('2G', 'Veerkracht', 'Resilience', 8),
];

export const MOTIVATION_GROUPS: Record<MotivationTheme['group'], LocalText> = {
  became: local(
    'Wat bracht je hier? (thema’s 1A–1J: waarom je therapeut werd)',
    'What brought you here? (themes 1A–1J: why you became a therapist)',
  ),
  stay: local(
    'Wat houdt je hier? (thema’s 2A–2G: wat je in het vak houdt)',
    'What keeps you here? (themes 2A–2G: what keeps you in the profession)',
  ),
};

export const RATING_SCALE = {
  kind: 'scale',
  min: 1,
  max: 5,
  minLabel: local('speelt(e) geen rol', 'played no part'),
  maxLabel: local('speelt(e) een grote rol', 'played a large part'),
} as const;

const SPIEGEL = { kind: 'spiegel' } as const;

export function themeItemIds(code: string): { then: string; now: string; note: string } {
  return { then: `motivation.${code}.then`, now: `motivation.${code}.now`, note: `motivation.${code}.note` };
}

export const SPARK_ITEM: SelfCheckItem = {
  id: 'motivation.spark',
  text: local(
    'De vonk: wanneer voelde je het laatst dat dit werk je raakte of aanstak? Wat zou de vonk (weer) kunnen laten ontbranden?',
    'The spark: when did you last feel this work move or ignite you? What could (re)ignite the spark?',
  ),
  input: { kind: 'text', maxLength: 4000 },
  provenance: SPIEGEL,
};

/** The three items of one theme: "then", "now" and a free-text note. */
export function themeItems(t: MotivationTheme): SelfCheckItem[] {
  const ids = themeItemIds(t.code);
  return [
    {
      id: ids.then,
      text: local(`${t.code}. ${t.name.nl} — toen`, `${t.code}. ${t.name.en} — then`),
      input: RATING_SCALE,
      provenance: SPIEGEL,
    },
    {
      id: ids.now,
      text: local(`${t.code}. ${t.name.nl} — nu`, `${t.code}. ${t.name.en} — now`),
      input: RATING_SCALE,
      provenance: SPIEGEL,
    },
    {
      id: ids.note,
      text: local(`${t.code}. Toelichting`, `${t.code}. Note`),
      input: { kind: 'text', maxLength: 2000 },
      provenance: SPIEGEL,
    },
  ];
}

export interface ThemeShift {
  theme: MotivationTheme;
  then: number | null;
  now: number | null;
  /** now − then within this check-up. */
  sinceStart: number | null;
  /** "Now" at the previous check-up and the change since; null without a previous answer. */
  previousNow: number | null;
  sincePrevious: number | null;
}

function num(answers: Answers | null, id: string): number | null {
  const value = answers?.[id];
  return typeof value === 'number' ? value : null;
}

/** Per theme: then, now, and the shift since the start and since the previous check-up. */
export function motivationShifts(current: Answers, previous: Answers | null): ThemeShift[] {
  return MOTIVATION_THEMES.map((t) => {
    const ids = themeItemIds(t.code);
    const then = num(current, ids.then);
    const now = num(current, ids.now);
    const previousNow = num(previous, ids.now);
    return {
      theme: t,
      then,
      now,
      sinceStart: then !== null && now !== null ? now - then : null,
      previousNow,
      sincePrevious: now !== null && previousNow !== null ? now - previousNow : null,
    };
  });
}

/** The largest shifts (|change| ≥ 2 points) since the previous check-up, largest first. */
export function notableShifts(shifts: ThemeShift[], threshold = 2): ThemeShift[] {
  return shifts
    .filter((s) => s.sincePrevious !== null && Math.abs(s.sincePrevious) >= threshold)
    .sort((a, b) => Math.abs(b.sincePrevious!) - Math.abs(a.sincePrevious!));
}

export const MOTIVATION_SOURCE: LocalText = local(
  'A.F. van Oosterzee, “Wat brengt jou hier?”, kwalitatief onderzoek onder vijftien klinisch psychologen en psychotherapeuten.',
  'A.F. van Oosterzee, “What brings YOU here?”, a qualitative study of fifteen clinical psychologists and psychotherapists.',
);
