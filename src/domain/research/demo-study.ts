/**
 * The demo study: a crying-in-therapy survey modelled on 't Lam & Vingerhoets ("Tranen van de
 * therapeut", 819 Dutch therapists). Item wording of Tables 2 and 3 is as the article prints it;
 * every other item is project-authored and says so. The 819 synthetic responses are generated to
 * match the published marginals exactly: gender (204/615), ever cried (Table 1: 18 + 86 never),
 * every Table 2 and Table 3 count by gender, and crying proneness (M 5.30, SD 2.18; integer sums
 * chosen so that Welch t against the norm is 31.48 on 1356.75 df).
 */
import { Random } from '../demo/random.ts';
import { CHOICE_SYSTEM, LIKERT_SYSTEM, surveyFromText, type Survey } from './survey.ts';
import type { QuestionnaireResponse, ResponseItem } from '../instruments/fhir.ts';

export const DEMO_STUDY_TITLE = 'Huilen in therapie (demo, naar ’t Lam & Vingerhoets)';

export const TABLE2 = [
  ['t2_story', 'Ontroerd zijn door het verhaal van de cliënt', 169, 496],
  ['t2_suffer', 'Het zien huilen / lijden van de cliënt', 117, 335],
  ['t2_own', 'De cliënt of het verhaal van de cliënt laat de therapeut denken aan een eigen ervaring', 90, 266],
  ['t2_growth', 'De therapeut ziet zijn of haar cliënt groeien in het therapieproces', 79, 228],
  ['t2_grateful', 'De cliënt toont zich dankbaar voor de geboden therapie', 40, 100],
  ['t2_step', 'De cliënt zet een therapeutisch gewenste stap', 36, 97],
  ['t2_model', 'Als model voor de cliënt om te laten zien hoe hij/zij met verdriet kan omgaan', 31, 87],
  ['t2_end', 'De therapie met de cliënt wordt beëindigd', 29, 88],
  ['t2_tool', 'Als hulpmiddel om het therapeutisch proces van de cliënt te versnellen', 16, 57],
] as const;

/** [name, wording, men agreeing, women agreeing, reverse-keyed]. */
export const TABLE3 = [
  [
    't3_important',
    'Huilen van cliënt(en) tijdens een therapiesessie kan belangrijk zijn voor het therapeutisch proces',
    191,
    580,
    false,
  ],
  ['t3_use', 'Huilen van cliënt(en) moet gebruikt worden om er therapeutisch iets mee te doen', 134, 406, false],
  [
    't3_stimulate',
    'Emotionele reacties van cliënt(en) tijdens therapiesessies moeten gestimuleerd worden',
    131,
    403,
    false,
  ],
  [
    't3_cc',
    'Cliëntgerichte therapeuten kunnen gemakkelijker met hun eigen emotie en emoties van de cliënten omgaan dan gedragstherapeuten',
    78,
    197,
    false,
  ],
  ['t3_nogoal', 'Huilen van een cliënt draagt niet bij aan het doel of de focus van de therapie', 8, 19, true],
  ['t3_ignore', 'Ik negeer het huilen van een cliënt tijdens een therapiesessie', 5, 8, true],
  ['t3_disturb', 'Het is storend als een cliënt huilt tijdens een therapiesessie', 4, 7, true],
  ['t3_improper', 'Het is niet gepast als een cliënt huilt tijdens een therapiesessie', 1, 4, true],
  ['t3_stop', 'Ik laat een cliënt meteen stoppen met huilen wanneer hij/zij begint te huilen', 2, 2, true],
] as const;

export const MEN = 204;
export const WOMEN = 615;
const NEVER = { men: 18, women: 86 };
/** Crying proneness (1–10): integer sums and sums of squares per gender (see the module comment). */
const PRONENESS = { men: { sum: 882, squares: 4708 }, women: { sum: 3459, squares: 22189 } };

const P = '[projecttekst]';
export const DEMO_SURVEY_TEXT = [
  `choice gender qi required | ${P} Wat is je geslacht? | 1=Man; 2=Vrouw`,
  `numeric age min=21 max=80 | ${P} Wat is je leeftijd in jaren?`,
  `choice discipline qi | ${P} Wat is je beroep? | 1=Psycholoog; 2=Psychotherapeut; 3=Psychiater; 4=Klinisch psycholoog; 5=Psychiatrisch verpleegkundige; 6=GZ-haptotherapeut; 7=Overig`,
  `numeric experience min=1 max=50 | ${P} Hoeveel jaar werk je als therapeut?`,
  `yesno cried required | ${P} Heb je ooit gehuild tijdens een therapiesessie?`,
  `open cry_reason if cried=ja | ${P} Wat was de aanleiding, de laatste keer dat je huilde tijdens een sessie?`,
  ...TABLE2.map(
    ([name, text]) => `yesno ${name} | Kan dit voor jou een aanleiding zijn om te huilen tijdens therapie? ${text}`,
  ),
  ...TABLE3.map(([name, text, , , reverse]) => `likert7 ${name}${reverse ? ' reverse' : ''} | ${text}`),
  `likert7 attention instructed=2 | ${P} Controlevraag: kies hier 2.`,
  `numeric proneness min=1 max=10 | ${P} Hoe groot is je algemene neiging om te huilen, buiten de therapie (1 = ik huil nooit, 10 = ik huil heel vaak)?`,
  `scale attclient mean minvalid=7 | ${P} Attitude tegenover huilende cliënten (hoger = positiever) | ${TABLE3.map(([n]) => n).join(' ')}`,
].join('\n');

export function demoSurvey(): Survey {
  return surveyFromText(DEMO_SURVEY_TEXT, { id: 'demo-crying', title: DEMO_STUDY_TITLE, version: 1, lang: 'nl' });
}

function shuffle<T>(rng: Random, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/** Exactly k ones among n, in random order. */
const exactly = (rng: Random, k: number, n: number): number[] =>
  shuffle(
    rng,
    Array.from({ length: n }, (_, i) => (i < k ? 1 : 0)),
  );

/** n integers in [lo, hi] with exactly the given sum and sum of squares (parities must agree). */
export function integersWithMoments(
  rng: Random,
  n: number,
  lo: number,
  hi: number,
  sum: number,
  squares: number,
): number[] {
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, (squares - (sum * sum) / n) / (n - 1)));
  const xs = Array.from({ length: n }, () => Math.min(hi, Math.max(lo, Math.round(rng.normal(mean, sd)))));
  const S = () => xs.reduce((s, v) => s + v, 0);
  const Q = () => xs.reduce((s, v) => s + v * v, 0);
  for (let guard = 0; guard < 200_000; guard++) {
    const dS = sum - S();
    const dQ = squares - Q();
    if (dS === 0 && dQ === 0) return xs;
    const i = Math.floor(rng.next() * n);
    const j = Math.floor(rng.next() * n);
    if (dS !== 0) {
      const step = Math.sign(dS);
      const v = xs[i] + step;
      // Move one value toward the sum, preferring a move that also helps the squares.
      if (v >= lo && v <= hi && Math.sign(v * v - xs[i] * xs[i]) === Math.sign(dQ || step)) xs[i] = v;
      else if (v >= lo && v <= hi && rng.next() < 0.05) xs[i] = v;
      continue;
    }
    // Sum fixed: x+1 and y−1 change the squares by 2(x − y) + 2.
    if (i === j || xs[i] + 1 > hi || xs[j] - 1 < lo) continue;
    const change = 2 * (xs[i] - xs[j]) + 2;
    if (Math.abs(dQ - change) < Math.abs(dQ)) {
      xs[i]++;
      xs[j]--;
    }
  }
  throw new Error('demo: could not reach the target moments');
}

const REASONS = [
  'Het verlies van een kind van de cliënt.',
  'De cliënt vertelde over het overlijden van haar partner.',
  'Het afscheid na een lange behandeling.',
  'Het verhaal deed me denken aan het overlijden van mijn eigen vader.',
  'Herstel van een cliënt na jaren.',
];

export interface DemoResponse {
  durationMs: number;
  response: QuestionnaireResponse;
}

/** The 819 synthetic responses (seeded: the same on every machine). */
export function demoResponses(seed = 19): DemoResponse[] {
  const rng = new Random(seed);
  const survey = demoSurvey();
  const out: DemoResponse[] = [];
  for (const [gender, n, never, moments] of [
    [1, MEN, NEVER.men, PRONENESS.men],
    [2, WOMEN, NEVER.women, PRONENESS.women],
  ] as const) {
    const key = gender === 1 ? 2 : 3;
    const cried = exactly(rng, n - never, n);
    const t2 = TABLE2.map((row) => exactly(rng, row[key], n));
    const t3 = TABLE3.map((row) => exactly(rng, row[key], n));
    const proneness = shuffle(rng, integersWithMoments(rng, n, 1, 10, moments.sum, moments.squares));
    for (let i = 0; i < n; i++) {
      const items: ResponseItem[] = [];
      const coding = (name: string, system: string, value: number) => {
        const option = survey.items.find((it) => it.name === name)!.options.find((o) => o.value === value)!;
        items.push({ linkId: name, answer: [{ valueCoding: { system, code: String(value), display: option.label } }] });
      };
      coding('gender', CHOICE_SYSTEM, gender);
      items.push({
        linkId: 'age',
        answer: [{ valueInteger: Math.round(Math.min(74, Math.max(23, rng.normal(45, 12.09)))) }],
      });
      coding('discipline', CHOICE_SYSTEM, 1 + Math.floor(rng.next() * 7));
      items.push({
        linkId: 'experience',
        answer: [{ valueInteger: Math.round(Math.min(45, Math.max(1, rng.normal(13, 8)))) }],
      });
      items.push({ linkId: 'cried', answer: [{ valueBoolean: cried[i] === 1 }] });
      if (cried[i] === 1 && rng.next() < 0.3)
        items.push({
          linkId: 'cry_reason',
          answer: [{ valueString: REASONS[Math.floor(rng.next() * REASONS.length)] }],
        });
      TABLE2.forEach(([name], k) => items.push({ linkId: name, answer: [{ valueBoolean: t2[k][i] === 1 }] }));
      TABLE3.forEach(([name], k) => {
        const agree = t3[k][i] === 1;
        coding(name, LIKERT_SYSTEM, agree ? 5 + Math.floor(rng.next() * 3) : 1 + Math.floor(rng.next() * 4));
      });
      coding('attention', LIKERT_SYSTEM, rng.next() < 0.98 ? 2 : 6);
      items.push({ linkId: 'proneness', answer: [{ valueInteger: proneness[i] }] });
      const speeder = rng.next() < 0.01;
      out.push({
        durationMs: Math.round((speeder ? 4 : 25 + rng.normal(0, 5)) * 60_000),
        response: {
          resourceType: 'QuestionnaireResponse',
          questionnaire: survey.questionnaire.url,
          status: 'completed',
          item: items,
        },
      });
    }
  }
  return shuffle(rng, out);
}
