import { CONSENSUS, type QualCode, type QualProject, type QualSegment } from './types.ts';

/**
 * The demo interview project, modelled on seed 004 (van Oosterzee): 15 participants, themes 1A–1J
 * (choosing the profession) and 2A–2G (staying), with the frequencies and participant counts of the
 * seed's Tables 1 and 2 as the intended consensus coding. Every transcript is SYNTHETIC and
 * project-authored: generated sentences, no real participant's words. Two coders are derived from
 * the consensus with realistic disagreement (missed quotations, shifted boundaries, a neighbouring
 * theme chosen, an extra quotation), deterministically, so the demo is the same on every load.
 */

// The transcripts are Dutch, so the label is too (pages in English mark the whole transcript as Dutch).
export const DEMO_LABEL = 'SYNTHETISCH — een door het project geschreven demotranscript, geen echt interview.';

/** [label, name, frequency, participants, equivalent to] from seed 004's Tables 1 and 2. */
const THEMES: [string, string, number, number, string | null][] = [
  ['1A', 'Zorgzame, empathische aanleg', 37, 10, null],
  ['1B', 'Interesse in de mensheid en psychologie', 73, 15, null],
  ['1C', 'Persoonlijke ervaringen met klachten en behandeling', 42, 13, null],
  ['1D', 'Willen helpen en iets teruggeven', 43, 13, null],
  ['1E', 'Inspirerende en faciliterende figuren', 70, 15, null],
  ['1F', 'Inspirerende studie', 47, 15, null],
  ['1G', 'Fascinerende (vroege) praktijkervaringen', 57, 14, null],
  ['1H', 'Verlangen naar persoonlijke groei en ontwikkeling', 103, 15, null],
  ['1I', 'Praktische redenen en levensfase', 68, 13, null],
  ['1J', 'Toevallige en (deels) onbewuste motieven', 49, 13, null],
  ['2A', 'Zorgzame, empathische aanleg', 20, 11, '1A'],
  ['2B', 'Interesse in de mensheid en psychologie', 24, 10, '1B'],
  ['2C', 'Willen helpen en iets teruggeven', 32, 12, '1D'],
  ['2D', 'Verlangen naar persoonlijke groei en ontwikkeling', 49, 11, '1H'],
  ['2E', 'Van overleven naar opbloeien', 42, 12, null],
  ['2F', 'Een gave voor het bouwen van bruggen en verbindingen', 34, 12, null],
  ['2G', 'Veerkracht', 32, 8, null],
];

/** Project-authored synthetic sentences, one small pool per theme. */
const PHRASES: Record<string, string[]> = {
  '1A': ['Als kind zorgde ik al voor iedereen in de klas.', 'Ik voelde altijd goed aan hoe het met anderen ging.'],
  '1B': ['Mensen en hun gedrag fascineerden me van jongs af aan.', 'Ik las alles wat ik over psychologie kon vinden.'],
  '1C': [
    'Mijn eigen periode van somberheid liet me zien wat therapie kan doen.',
    'In ons gezin was er veel zorg om klachten.',
  ],
  '1D': ['Ik wilde iets teruggeven van wat ik zelf had gekregen.', 'Helpen voelde voor mij als iets vanzelfsprekends.'],
  '1E': ['Een docent nam me mee naar haar praktijk.', 'Mijn eerste supervisor liet me zien hoe het kon.'],
  '1F': ['De colleges over ontwikkeling grepen me meteen.', 'Tijdens de studie viel alles op zijn plek.'],
  '1G': ['Mijn stage in de kliniek maakte een diepe indruk.', 'Het eerste gesprek met een cliënt vergeet ik nooit.'],
  '1H': ['Ik wilde mezelf beter leren kennen.', 'Het vak dwingt je steeds te blijven groeien.'],
  '1I': ['De opleidingsplek kwam precies op het goede moment.', 'Het paste bij de fase van ons gezin.'],
  '1J': ['Eigenlijk rolde ik er een beetje in.', 'Achteraf zie ik dat er meer speelde dan ik toen wist.'],
  '2A': [
    'Die zorgzaamheid merk ik nog elke dag in de spreekkamer.',
    'Ik voel nog steeds snel aan wat iemand nodig heeft.',
  ],
  '2B': ['Elke cliënt maakt me weer nieuwsgierig.', 'Ik blijf me verwonderen over hoe mensen in elkaar zitten.'],
  '2C': ['Het geeft voldoening als iemand weer verder kan.', 'Iets betekenen voor een ander houdt me gaande.'],
  '2D': ['Ik zoek nog altijd intervisie en scholing op.', 'Elk jaar leer ik iets nieuws over mezelf.'],
  '2E': ['Wat ooit overleven was, is nu een bron van kracht.', 'Ik heb geleerd mijn kwetsbaarheid in te zetten.'],
  '2F': ['Ik verbind graag mensen en teams met elkaar.', 'Bruggen bouwen tussen disciplines gaat me goed af.'],
  '2G': ['Tegenslag maakt me niet zo snel meer klein.', 'Ik herstel nu sneller na een zware week.'],
};

const COLOURS = [
  '#1b9e77',
  '#d95f02',
  '#7570b3',
  '#e7298a',
  '#66a61e',
  '#e6ab02',
  '#a6761d',
  '#666666',
  '#1f78b4',
  '#b2df8a',
];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The intended consensus coding: segments per code per participant (15 columns). */
export function intendedCounts(): { label: string; perCase: number[] }[] {
  return THEMES.map(([label, , frequency, participants], k) => {
    const perCase = new Array<number>(15).fill(0);
    for (let j = 0; j < participants; j++) {
      const p = (k * 4 + j) % 15;
      perCase[p] = Math.floor(frequency / participants) + (j < frequency % participants ? 1 : 0);
    }
    return { label, perCase };
  });
}

export const DEMO_CODERS = [
  { id: 'coder-a', name: 'Codeur A' },
  { id: 'coder-b', name: 'Codeur B' },
];

const PROFESSIONS = ['klinisch psycholoog', 'psychotherapeut'];
const AGE_BANDS = ['30-39', '40-49', '50-59', '60-70'];
const EXPERIENCE = ['0-9', '10-19', '20+'];

/** Builds the whole demo project in memory (coders' ids are placeholders the loader maps to users). */
export function demoProject(): QualProject {
  const codes: QualCode[] = [
    ...['1', '2'].map((group, i) => ({
      id: `group-${group}`,
      label: group,
      name: group === '1' ? 'Waarom therapeut worden' : 'Waarom therapeut blijven',
      parentId: null,
      definition:
        group === '1' ? 'Onderzoeksvraag 1: de beroepskeuze.' : 'Onderzoeksvraag 2: de dagelijkse beroepsuitoefening.',
      inclusion: '',
      exclusion: '',
      example: '',
      colour: '#444444',
      order: i * 100,
      equivalentTo: null,
    })),
    ...THEMES.map(([label, name, , , equivalent], k) => ({
      id: `code-${label}`,
      label,
      name,
      parentId: `group-${label[0]}`,
      definition: `Uitspraken over: ${name.toLowerCase()} (projectdefinitie, synthetisch).`,
      inclusion: 'De deelnemer noemt dit zelf als motief.',
      exclusion: 'Motieven die de interviewer suggereert.',
      example: PHRASES[label]![0]!,
      colour: COLOURS[k % COLOURS.length]!,
      order: (label[0] === '1' ? 0 : 100) + k + 1,
      equivalentTo: equivalent ? `code-${equivalent}` : null,
    })),
  ];
  const counts = intendedCounts();
  const documents: QualProject['documents'] = [];
  const consensus: QualSegment[] = [];
  for (let p = 0; p < 15; p++) {
    const caseLabel = `P${String(p + 1).padStart(2, '0')}`;
    const docId = `doc-${caseLabel}`;
    let body = `${DEMO_LABEL}\n\nI: Welke factoren, gebeurtenissen en motieven hebben bijgedragen aan je beroepskeuze?\n`;
    let question2 = false;
    counts.forEach(({ label, perCase }) => {
      if (label.startsWith('2') && !question2) {
        body += '\nI: Beïnvloeden deze en andere thema’s je dagelijkse beroepsuitoefening? Zo ja, hoe?\n';
        question2 = true;
      }
      for (let q = 0; q < perCase[p]!; q++) {
        const pool = PHRASES[label]!;
        const sentence = `${pool[(p + q) % pool.length]!} (${caseLabel}, ${label}.${q + 1})`;
        body += 'P: ';
        consensus.push({
          id: `${docId}-${label}-${q}`,
          documentId: docId,
          codeId: `code-${label}`,
          coderId: CONSENSUS,
          start: body.length,
          end: body.length + sentence.length,
        });
        body += `${sentence} Dat is wel zo gebleven.\n`;
      }
    });
    documents.push({
      id: docId,
      caseLabel,
      text: body,
      attributes: {
        profession: PROFESSIONS[p < 9 ? 0 : 1]!,
        gender: p % 15 < 11 ? 'vrouw' : 'man',
        age_band: AGE_BANDS[p % 4]!,
        experience_band: EXPERIENCE[p % 3]!,
      },
    });
  }
  const themeLabels = THEMES.map((t) => t[0]);
  const coderSegments = DEMO_CODERS.flatMap((coder, c) => {
    const random = rng(2004 + c);
    const out: QualSegment[] = [];
    for (const s of consensus) {
      const r = random();
      if (r < 0.07 + 0.03 * c) continue; // missed
      const label = s.codeId.slice(5);
      let codeId = s.codeId;
      if (r > 0.94 - 0.02 * c) {
        const k = themeLabels.indexOf(label);
        codeId = `code-${themeLabels[(k + 1) % themeLabels.length]!}`; // a neighbouring theme
      }
      const shift = Math.floor(random() * 6) - 3;
      out.push({
        ...s,
        id: `${s.id}-${coder.id}`,
        coderId: coder.id,
        codeId,
        start: Math.max(0, s.start + shift),
        end: s.end + Math.floor(random() * 8),
      });
      if (random() < 0.04)
        out.push({
          ...s,
          id: `${s.id}-${coder.id}-x`,
          coderId: coder.id,
          codeId: `code-${themeLabels[(themeLabels.indexOf(label) + 3) % 17]!}`,
        });
    }
    return out;
  });
  return {
    id: 'demo-seed-004',
    name: 'Waarom therapeuten worden en blijven (demo, synthetisch)',
    coders: DEMO_CODERS,
    codes,
    documents,
    segments: [...coderSegments, ...consensus],
    memos: [
      {
        id: 'memo-project',
        target: { kind: 'project', id: 'demo-seed-004' },
        authorId: CONSENSUS,
        text: 'Synthetisch demoproject naar het model van het onderzoek van Van Oosterzee.',
      },
      {
        id: 'memo-2E',
        target: { kind: 'code', id: 'code-2E' },
        authorId: CONSENSUS,
        text: 'Consensusbesluit: 2E is een nieuw thema, geen variant van 1C.',
      },
    ],
  };
}
