import { SpiegelError } from '../errors.ts';
import { APPRECIATION_SOURCE, frameSteps, type FrameMode } from './appreciation-frame.ts';
import { local, type LocalText } from './types.ts';

/**
 * The reflection journal: templates for critical moments and the validation of an entry. Prompts are
 * written by Spiegel (not a validated instrument); the appreciation template follows the seven-goal
 * frame of seed 002. Entries are encrypted at rest (src/store/reflection-crypto.ts); this module only
 * knows their plaintext shape.
 */

export const TEMPLATE_IDS = ['tears', 'appreciation', 'rupture', 'countertransference', 'presence', 'free'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export function isTemplateId(value: unknown): value is TemplateId {
  return typeof value === 'string' && (TEMPLATE_IDS as readonly string[]).includes(value);
}

export interface TemplateField {
  id: string;
  label: LocalText;
  /** Extra lines shown with the field (for the frame: intervention, pitfall, recommendation). */
  guidance?: Array<{ label: LocalText; text: LocalText }>;
  adaptedBySpiegel?: boolean;
}

export interface JournalTemplate {
  id: TemplateId;
  title: LocalText;
  intro: LocalText;
  fields: TemplateField[];
  source: LocalText | null;
}

function field(id: string, nl: string, en: string): TemplateField {
  return { id, label: local(nl, en) };
}

const SITUATION = field(
  'situation',
  'Wat gebeurde er? (situatie, zonder herleidbare cliëntgegevens)',
  'What happened? (the situation, without identifiable client details)',
);
const SUPERVISION = field(
  'supervision',
  'Wat neem ik mee naar supervisie of intervisie?',
  'What do I take to supervision or intervision?',
);

const GUIDANCE_LABELS = {
  intervention: local('Concrete interventie', 'Concrete intervention'),
  pitfall: local('Klinische valkuil', 'Clinical pitfall'),
  recommendation: local('Aanbeveling', 'Recommendation'),
};

function appreciationFields(mode: FrameMode): TemplateField[] {
  return [
    field(
      'situation',
      'Welke waardering kreeg ik, van wie (zonder herleidbare gegevens), en in welk moment?',
      'What appreciation did I receive, from whom (without identifiable details), and at what moment?',
    ),
    field(
      'impulse',
      'Wat was mijn eerste impuls (teruggeven, wegwuiven, genieten, ongemak)?',
      'What was my first impulse (giving it back, waving it away, enjoying it, discomfort)?',
    ),
    ...frameSteps(mode).map((step) => ({
      id: `goal${step.number}`,
      label: local(
        `Doel ${step.number}: ${step.goal.nl} — wat deed ik, of wat had ik kunnen doen?`,
        `Goal ${step.number}: ${step.goal.en} — what did I do, or what could I have done?`,
      ),
      guidance: [
        { label: GUIDANCE_LABELS.intervention, text: step.intervention },
        { label: GUIDANCE_LABELS.pitfall, text: step.pitfall },
        { label: GUIDANCE_LABELS.recommendation, text: step.recommendation },
      ],
      adaptedBySpiegel: step.adaptedBySpiegel,
    })),
    field(
      'learned',
      'Wat leer ik hiervan over mezelf als therapeut?',
      'What does this teach me about myself as a therapist?',
    ),
  ];
}

export function journalTemplate(id: TemplateId, mode: FrameMode = 'individual'): JournalTemplate {
  switch (id) {
    case 'tears':
      return {
        id,
        title: local('Tranen in de sessie', 'Tears in the session'),
        intro: local(
          'Tranen van jezelf of van de cliënt. Uit het onderzoek van ’t Lam & Vingerhoets: huilen in therapie is ook voor therapeuten niet uitzonderlijk; het vraagt wel om regie ten gunste van het therapeutisch proces.',
          'Your own tears or the client’s. From the study by ’t Lam & Vingerhoets: crying in therapy is not exceptional for therapists either; it does ask you to stay in charge, in favour of the therapeutic process.',
        ),
        fields: [
          field(
            'whose',
            'Wiens tranen: van mij, van de cliënt, of van ons beiden?',
            'Whose tears: mine, the client’s, or both of ours?',
          ),
          SITUATION,
          field(
            'felt',
            'Wat voelde ik, en wat raakte me (ook: een eigen ervaring)?',
            'What did I feel, and what touched me (including an experience of my own)?',
          ),
          field(
            'did',
            'Wat deed ik ermee: toelaten, inhouden, benoemen, bespreken?',
            'What did I do with it: allow, hold back, name, discuss?',
          ),
          field(
            'effect',
            'Wat leek het effect op de cliënt en het proces?',
            'What seemed to be the effect on the client and the process?',
          ),
          SUPERVISION,
        ],
        source: local(
          'Vragen door Spiegel opgesteld, naar het onderzoek van ’t Lam & Vingerhoets.',
          'Questions written by Spiegel, after the study by ’t Lam & Vingerhoets.',
        ),
      };
    case 'appreciation':
      return {
        id,
        title: local('Waardering ontvangen', 'Receiving appreciation'),
        intro: local(
          'Het interventiekader van Frans van Paassen: per doel een concrete interventie, een klinische valkuil en een aanbeveling. Waardering niet wegmaken, maar erkennen en verkennen.',
          'Frans van Paassen’s intervention frame: for each goal a concrete intervention, a clinical pitfall and a recommendation. Do not make appreciation disappear; acknowledge and explore it.',
        ),
        fields: appreciationFields(mode),
        source: APPRECIATION_SOURCE,
      };
    case 'rupture':
      return {
        id,
        title: local('Breuk in de werkrelatie', 'Alliance rupture'),
        intro: local(
          'Effectieve therapeuten kunnen allianties vormen én herstellen, juist bij interpersoonlijk moeilijke cliënten (Van Paassen). Metacommunicatie helpt: de relatie zelf bespreekbaar maken.',
          'Effective therapists can form and repair alliances, especially with interpersonally challenging clients (Van Paassen). Metacommunication helps: making the relationship itself something to talk about.',
        ),
        fields: [
          SITUATION,
          field(
            'signs',
            'Waaraan merkte ik de breuk (terugtrekken, confrontatie, een lage alliantiescore)?',
            'How did I notice the rupture (withdrawal, confrontation, a low alliance score)?',
          ),
          field('myPart', 'Wat was mijn aandeel?', 'What was my part in it?'),
          field(
            'repair',
            'Wat deed ik om te herstellen, en hoe reageerde de cliënt?',
            'What did I do to repair it, and how did the client respond?',
          ),
          field('next', 'Wat is mijn volgende stap?', 'What is my next step?'),
          SUPERVISION,
        ],
        source: local(
          'Vragen door Spiegel opgesteld, naar Frans van Paassen over de effectieve therapeut.',
          'Questions written by Spiegel, after Frans van Paassen on the effective therapist.',
        ),
      };
    case 'countertransference':
      return {
        id,
        title: local('Tegenoverdracht', 'Countertransference'),
        intro: local(
          'Wat roept deze cliënt in mij op, en wat doe ik ermee?',
          'What does this client evoke in me, and what do I do with it?',
        ),
        fields: [
          SITUATION,
          field(
            'evoked',
            'Wat riep de cliënt in mij op (gevoelens, neigingen, beelden)?',
            'What did the client evoke in me (feelings, impulses, images)?',
          ),
          field(
            'origin',
            'Waar ken ik dit van, uit mijn eigen geschiedenis?',
            'Where do I know this from, in my own history?',
          ),
          field('influence', 'Hoe beïnvloedde het mijn handelen?', 'How did it influence what I did?'),
          field(
            'use',
            'Hoe kan ik het ten goede van de behandeling gebruiken?',
            'How can I use it for the good of the treatment?',
          ),
          SUPERVISION,
        ],
        source: local('Vragen door Spiegel opgesteld.', 'Questions written by Spiegel.'),
      };
    case 'presence':
      return {
        id,
        title: local('Aanwezigheid (presence)', 'Presence'),
        intro: local(
          'Presence: openstaan voor de ander terwijl je contact houdt met jezelf; een evenwicht dat telkens weer ontsnapt.',
          'Presence: being open to the other while keeping in touch with yourself; a balance that keeps slipping away.',
        ),
        fields: [
          SITUATION,
          field('present', 'Wanneer was ik helemaal aanwezig?', 'When was I fully present?'),
          field(
            'lost',
            'Wanneer verloor ik het contact met mezelf of met de ander?',
            'When did I lose touch with myself or with the other?',
          ),
          field('regained', 'Wat hielp me het evenwicht terug te vinden?', 'What helped me find the balance again?'),
          field('powerless', 'Welke machteloosheid moest ik verdragen?', 'What powerlessness did I have to bear?'),
        ],
        source: local(
          'Vragen door Spiegel opgesteld, naar een casus uit de experiëntiële gezinstherapie.',
          'Questions written by Spiegel, after a case from experiential family therapy.',
        ),
      };
    case 'free':
      return {
        id,
        title: local('Vrije notitie', 'Free entry'),
        intro: local('Schrijf wat je wilt vasthouden.', 'Write whatever you want to hold on to.'),
        fields: [field('text', 'Tekst', 'Text')],
        source: null,
      };
  }
}

/** The plaintext of a journal entry; it is encrypted as a whole before it reaches the database. */
export interface JournalEntryContent {
  template: TemplateId;
  mode: FrameMode | null;
  title: string;
  occurredOn: string | null;
  fields: Record<string, string>;
  tags: string[];
}

export const MAX_FIELD_LENGTH = 20_000;
export const MAX_TAGS = 20;

/** Tags: lower case, trimmed, no duplicates, letters/digits/hyphens/spaces only. */
export function parseTags(raw: string): string[] {
  const tags = raw
    .split(/[,;\n]/)
    .map((t) => t.trim().toLowerCase().replace(/^#/, ''))
    .filter((t) => t !== '');
  for (const tag of tags) {
    if (!/^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u.test(tag))
      throw new SpiegelError(
        'VALIDATION_FAILED',
        `Tag "${tag}" is not valid: use letters, digits, spaces and hyphens (at most 40).`,
        { field: 'tags' },
      );
  }
  const unique = [...new Set(tags)];
  if (unique.length > MAX_TAGS)
    throw new SpiegelError('VALIDATION_FAILED', `At most ${MAX_TAGS} tags.`, { field: 'tags' });
  return unique;
}

/** Validates a submitted entry against its template. */
export function parseEntry(body: Record<string, unknown>): JournalEntryContent {
  const template = body.template;
  if (!isTemplateId(template))
    throw new SpiegelError('VALIDATION_FAILED', 'Unknown journal template.', { field: 'template' });
  const mode = template === 'appreciation' ? (body.mode === 'group' ? 'group' : 'individual') : null;
  const title = typeof body.title === 'string' ? body.title.trim() : '';
  if (title === '' || title.length > 200)
    throw new SpiegelError('VALIDATION_FAILED', 'Give the entry a title of at most 200 characters.', {
      field: 'title',
    });
  const occurredOn = typeof body.occurredOn === 'string' && body.occurredOn !== '' ? body.occurredOn : null;
  if (occurredOn !== null && (!/^\d{4}-\d{2}-\d{2}$/.test(occurredOn) || Number.isNaN(Date.parse(occurredOn)))) {
    throw new SpiegelError('VALIDATION_FAILED', 'The date must look like 2026-01-31.', { field: 'occurredOn' });
  }
  const fields: Record<string, string> = {};
  for (const f of journalTemplate(template, mode ?? 'individual').fields) {
    const value = body[`field_${f.id}`];
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (value.length > MAX_FIELD_LENGTH)
      throw new SpiegelError('VALIDATION_FAILED', `A field may hold at most ${MAX_FIELD_LENGTH} characters.`, {
        field: f.id,
      });
    fields[f.id] = value.trim();
  }
  return { template, mode, title, occurredOn, fields, tags: parseTags(typeof body.tags === 'string' ? body.tags : '') };
}

function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Search over decrypted entries, in memory: every word of the query must occur in the title, a field
 * or a tag (accents and case ignored); a tag filter must match exactly. Nothing of the query is stored.
 */
export function matchesSearch(entry: JournalEntryContent, query: string, tag: string | null): boolean {
  if (tag && !entry.tags.includes(tag.toLowerCase())) return false;
  const words = normalise(query)
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return true;
  const haystack = normalise([entry.title, ...Object.values(entry.fields), ...entry.tags].join('\n'));
  return words.every((w) => haystack.includes(w));
}
