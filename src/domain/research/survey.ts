/**
 * Research surveys are FHIR Questionnaires (the instruments engine validates, branches and scores them).
 * This module reads a questionnaire as a survey (items with their measurement details, and scales) and
 * builds one from the researcher's simple text format (docs/research.md), so the browser editor can
 * stay a textarea.
 */
import type { AnswerOption, Extension, Questionnaire, QuestionnaireItem } from '../instruments/fhir.ts';
import { URL } from '../instruments/fhir.ts';
import { encodeScoringExtension } from '../instruments/scoring-encode.ts';
import { emptySpec, type ScaleSpec } from '../instruments/scoring-spec.ts';
import { validateQuestionnaire } from '../instruments/validate-questionnaire.ts';
import { findExtension, itemRange } from '../instruments/extensions.ts';
import { parseScoringExtension } from '../instruments/scoring-parse.ts';
import { IssueList } from '../instruments/issues.ts';
import { SpiegelError } from '../errors.ts';

export const RESEARCH_ITEM_URL = 'https://spiegel.example/fhir/StructureDefinition/research-item';
export const LIKERT_SYSTEM = 'https://spiegel.example/fhir/CodeSystem/likert';
export const CHOICE_SYSTEM = 'https://spiegel.example/fhir/CodeSystem/survey-choice';

export type ItemKind = 'likert' | 'yesno' | 'numeric' | 'choice' | 'open';

export interface SurveyOption {
  value: number;
  label: string;
}

export interface SurveyCondition {
  question: string;
  operator: '=' | '!=';
  value: number;
}

export interface SurveyItem {
  name: string;
  kind: ItemKind;
  text: string;
  /** Answer options (likert, yes/no, choice) with their numeric codes. */
  options: SurveyOption[];
  min: number | null;
  max: number | null;
  reverse: boolean;
  /** Gender, age band, discipline…: tables crossed by it get small-cell protection. */
  quasiIdentifier: boolean;
  /** An attention check: the answer the item asks for. */
  instructed: number | null;
  required: boolean;
  condition: SurveyCondition | null;
  /** Items sharing a shuffle group are shown in a random order per respondent (item randomisation). */
  shuffle: string | null;
  /** Randomisation to arms: the server assigns this choice item in balanced blocks of `blockSize`. */
  assign: { blockSize: number } | null;
}

export interface SurveyScale {
  id: string;
  label: string;
  method: 'mean' | 'sum';
  items: string[];
  reverse: string[];
  itemMin: number;
  itemMax: number;
  /** The minimum-valid-items rule: a score needs at least this many answered items. */
  minValid: number;
}

export interface Survey {
  questionnaire: Questionnaire;
  items: SurveyItem[];
  scales: SurveyScale[];
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const LIKERT_ENDS: Record<string, [string, string]> = {
  nl: ['helemaal niet mee eens', 'helemaal mee eens'],
  en: ['strongly disagree', 'strongly agree'],
};
const YES_NO: Record<string, [string, string]> = { nl: ['Ja', 'Nee'], en: ['Yes', 'No'] };

// ---------------------------------------------------------------- reading a questionnaire as a survey

function sub(ext: Extension | undefined, url: string): Extension | undefined {
  return ext?.extension?.find((e) => e.url === url);
}

function optionsOf(item: QuestionnaireItem, lang: 'nl' | 'en'): SurveyOption[] {
  if (item.type === 'boolean') {
    return [
      { value: 1, label: YES_NO[lang][0] },
      { value: 0, label: YES_NO[lang][1] },
    ];
  }
  return (item.answerOption ?? []).map((o: AnswerOption) => ({
    value: Number(o.valueCoding?.code),
    label: o.valueCoding?.display ?? String(o.valueCoding?.code),
  }));
}

function kindOf(item: QuestionnaireItem): ItemKind {
  if (item.type === 'boolean') return 'yesno';
  if (item.type === 'integer' || item.type === 'decimal') return 'numeric';
  if (item.type === 'choice')
    return item.answerOption?.[0]?.valueCoding?.system === LIKERT_SYSTEM ? 'likert' : 'choice';
  return 'open';
}

function conditionOf(item: QuestionnaireItem): SurveyCondition | null {
  const ew = item.enableWhen?.[0];
  if (!ew || (ew.operator !== '=' && ew.operator !== '!=')) return null;
  const coded = ew.answerCoding as { code?: string } | undefined;
  const value =
    typeof ew.answerBoolean === 'boolean' ? (ew.answerBoolean ? 1 : 0) : Number(coded?.code ?? ew.answerInteger);
  return { question: ew.question, operator: ew.operator, value };
}

/** Reads a (valid) survey questionnaire: its answerable items in order and its scales. */
export function readSurvey(questionnaire: Questionnaire): Survey {
  const items: SurveyItem[] = [];
  const walk = (list: readonly QuestionnaireItem[]) => {
    for (const item of list) {
      if (item.type === 'group') walk(item.item ?? []);
      if (item.type === 'group' || item.type === 'display') continue;
      const ext = findExtension(item.extension, RESEARCH_ITEM_URL);
      const range = itemRange(item.extension);
      const options = optionsOf(item, questionnaire.language === 'en' ? 'en' : 'nl');
      const kind = kindOf(item);
      items.push({
        name: item.linkId,
        kind,
        text: item.text ?? item.linkId,
        options,
        min:
          kind === 'numeric' ? (range.min ?? null) : options.length ? Math.min(...options.map((o) => o.value)) : null,
        max:
          kind === 'numeric' ? (range.max ?? null) : options.length ? Math.max(...options.map((o) => o.value)) : null,
        reverse: sub(ext, 'reverse')?.valueBoolean === true,
        quasiIdentifier: sub(ext, 'quasiIdentifier')?.valueBoolean === true,
        instructed: sub(ext, 'instructed')?.valueInteger ?? null,
        required: item.required === true,
        condition: conditionOf(item),
        shuffle: sub(ext, 'shuffle')?.valueString ?? null,
        assign: sub(ext, 'assignBlock') ? { blockSize: sub(ext, 'assignBlock')!.valueInteger! } : null,
      });
    }
  };
  walk(questionnaire.item ?? []);
  const parsed = parseScoringExtension(questionnaire as unknown as Record<string, unknown>, new IssueList());
  const scales = (parsed?.spec.scales ?? []).map((s): SurveyScale => ({
    id: s.id,
    label: s.name[questionnaire.language ?? 'nl'] ?? Object.values(s.name)[0] ?? s.id,
    method: s.method === 'sum' ? 'sum' : 'mean',
    items: s.items,
    reverse: s.reverse,
    itemMin: s.itemMin ?? 1,
    itemMax: s.itemMax ?? 7,
    minValid: s.items.length - Math.floor(s.maxMissingFraction * s.items.length + 1e-9),
  }));
  return { questionnaire, items, scales };
}

// ---------------------------------------------------------------- the text format

export interface TextProblem {
  line: number;
  message: string;
}

interface Draft {
  item: SurveyItem;
  line: number;
}

const KIND = /^(likert(\d{1,2})?|yesno|numeric|choice|open)$/;

function parseValue(raw: string, target: SurveyItem | undefined): number | null {
  const v = raw.toLowerCase();
  if (target?.kind === 'yesno') {
    if (['ja', 'yes', 'true', '1'].includes(v)) return 1;
    if (['nee', 'no', 'false', '0'].includes(v)) return 0;
    return null;
  }
  return /^-?\d+$/.test(v) ? Number(v) : null;
}

/**
 * Parses the survey text format into items and scales. Every line is checked; all problems come back
 * together, each with its line number, so the researcher can fix them in one go.
 */
export function parseSurveyText(
  text: string,
  lang: 'nl' | 'en' = 'nl',
): { items: SurveyItem[]; scales: SurveyScale[]; problems: TextProblem[] } {
  const problems: TextProblem[] = [];
  const drafts: Draft[] = [];
  const scaleLines: { line: number; head: string[]; label: string; members: string[] }[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = i + 1;
    const trimmed = rawLine.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const parts = trimmed.split('|').map((p) => p.trim());
    const head = parts[0].split(/\s+/);
    const problem = (message: string) => problems.push({ line, message });
    if (head[0] === 'scale') {
      scaleLines.push({
        line,
        head,
        label: parts[1] ?? head[1] ?? '',
        members: (parts[2] ?? '').split(/\s+/).filter(Boolean),
      });
      return;
    }
    const kindMatch = KIND.exec(head[0]);
    if (!kindMatch)
      return problem(
        `unknown item type '${head[0]}'; use likert, likert4…likert10, yesno, numeric, choice, open or scale.`,
      );
    const name = head[1] ?? '';
    if (!NAME.test(name))
      return problem(`'${name}' is not a valid variable name (a letter, then letters, digits or _; at most 32).`);
    if (seen.has(name.toLowerCase())) return problem(`the variable name '${name}' is used twice.`);
    seen.add(name.toLowerCase());
    if (!parts[1]) return problem(`item '${name}' has no question text after '|'.`);
    const kind = (kindMatch[1].startsWith('likert') ? 'likert' : kindMatch[1]) as ItemKind;
    const item: SurveyItem = {
      name,
      kind,
      text: parts[1],
      options: [],
      min: null,
      max: null,
      reverse: false,
      quasiIdentifier: false,
      instructed: null,
      required: false,
      condition: null,
      shuffle: null,
      assign: null,
    };
    if (kind === 'likert') {
      const points = Number(kindMatch[2] ?? 7);
      if (points < 2 || points > 11) return problem(`a Likert item needs 2 to 11 points; got ${points}.`);
      item.options = Array.from({ length: points }, (_, k) => ({
        value: k + 1,
        label:
          k === 0
            ? `1 ${LIKERT_ENDS[lang][0]}`
            : k === points - 1
              ? `${points} ${LIKERT_ENDS[lang][1]}`
              : String(k + 1),
      }));
    } else if (kind === 'yesno') {
      item.options = [
        { value: 1, label: YES_NO[lang][0] },
        { value: 0, label: YES_NO[lang][1] },
      ];
    } else if (kind === 'choice') {
      for (const opt of (parts[2] ?? '')
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const m = /^(-?\d+)\s*=\s*(.+)$/.exec(opt);
        if (!m) return problem(`choice option '${opt}' must read CODE=Label, e.g. 1=Man.`);
        item.options.push({ value: Number(m[1]), label: m[2] });
      }
      if (item.options.length < 2)
        return problem(`choice item '${name}' needs at least two options after a second '|'.`);
      if (new Set(item.options.map((o) => o.value)).size !== item.options.length)
        return problem(`choice item '${name}' repeats a code.`);
    }
    for (let k = 2; k < head.length; k++) {
      const flag = head[k];
      if (flag === 'reverse') item.reverse = true;
      else if (flag === 'qi') item.quasiIdentifier = true;
      else if (flag === 'required') item.required = true;
      else if (/^min=-?\d+$/.test(flag)) item.min = Number(flag.slice(4));
      else if (/^max=-?\d+$/.test(flag)) item.max = Number(flag.slice(4));
      else if (/^instructed=-?\d+$/.test(flag)) item.instructed = Number(flag.slice(11));
      else if (/^shuffle=[A-Za-z][A-Za-z0-9_]{0,31}$/.test(flag)) item.shuffle = flag.slice(8);
      else if (flag === 'assign') item.assign = { blockSize: item.assign?.blockSize ?? 0 };
      else if (/^block=\d{1,3}$/.test(flag)) item.assign = { blockSize: Number(flag.slice(6)) };
      else if (flag === 'if' && head[k + 1]) {
        const m = /^([A-Za-z][A-Za-z0-9_]*)(!=|=)(.+)$/.exec(head[++k]);
        const target = m ? drafts.find((d) => d.item.name === m[1])?.item : undefined;
        if (!m || !target) return problem(`'if ${head[k]}' must name an earlier item, e.g. if cried=ja.`);
        const value = parseValue(m[3], target);
        if (value === null || (target.options.length > 0 && !target.options.some((o) => o.value === value)))
          return problem(`'${m[3]}' is not an answer of '${target.name}'.`);
        item.condition = { question: target.name, operator: m[2] as '=' | '!=', value };
      } else return problem(`unknown option '${flag}' on item '${name}'.`);
    }
    if (item.reverse && item.kind !== 'likert') problem(`only Likert items can be reverse-keyed ('${name}').`);
    if (item.assign) {
      const arms = item.options.length;
      if (item.assign.blockSize === 0) item.assign.blockSize = 2 * arms;
      if (kind !== 'choice') problem(`only a choice item can assign arms ('${name}').`);
      else if (item.assign.blockSize % arms !== 0 || item.assign.blockSize < arms)
        problem(`the block size of '${name}' must be a multiple of its ${arms} arms.`);
      if (item.required || item.condition) problem(`the assignment item '${name}' cannot be required or conditional.`);
    }
    if (item.instructed !== null && !item.options.some((o) => o.value === item.instructed))
      problem(`the instructed answer of '${name}' is not one of its options.`);
    if (kind === 'likert') {
      item.min = 1;
      item.max = item.options.length;
    }
    if (kind === 'numeric' && item.min !== null && item.max !== null && item.min > item.max)
      problem(`min is above max on '${name}'.`);
    drafts.push({ item, line });
  });
  const items = drafts.map((d) => d.item);
  const scales: SurveyScale[] = [];
  for (const s of scaleLines) {
    const problem = (message: string) => problems.push({ line: s.line, message });
    const id = s.head[1] ?? '';
    if (!/^[A-Za-z][A-Za-z0-9]{0,31}$/.test(id)) {
      problem(`'${id}' is not a valid scale name (a letter, then letters or digits).`);
      continue;
    }
    if (seen.has(id.toLowerCase())) {
      problem(`the name '${id}' is used twice.`);
      continue;
    }
    seen.add(id.toLowerCase());
    const members = s.members.map((m) => items.find((it) => it.name === m));
    const missing = s.members.filter((_, k) => !members[k] || members[k]!.kind !== 'likert');
    if (missing.length > 0 || members.length < 2) {
      problem(
        `scale '${id}' needs two or more Likert items after a second '|'${missing.length ? `; not Likert or unknown: ${missing.join(', ')}` : ''}.`,
      );
      continue;
    }
    const points = new Set(members.map((m) => m!.options.length));
    if (points.size > 1) {
      problem(`the items of scale '${id}' have different numbers of points.`);
      continue;
    }
    let method: 'mean' | 'sum' = 'mean';
    let minValid = members.length;
    for (const flag of s.head.slice(2)) {
      if (flag === 'mean' || flag === 'sum') method = flag;
      else if (/^minvalid=\d+$/.test(flag)) minValid = Number(flag.slice(9));
      else problem(`unknown option '${flag}' on scale '${id}'.`);
    }
    if (minValid < 1 || minValid > members.length)
      problem(`minvalid of '${id}' must be between 1 and ${members.length}.`);
    scales.push({
      id,
      label: s.label || id,
      method,
      items: s.members,
      reverse: members.filter((m) => m!.reverse).map((m) => m!.name),
      itemMin: 1,
      itemMax: members[0]!.options.length,
      minValid,
    });
  }
  return { items, scales, problems };
}

// ---------------------------------------------------------------- building the questionnaire

function itemToFhir(item: SurveyItem, items: SurveyItem[]): QuestionnaireItem {
  const out: QuestionnaireItem = { linkId: item.name, text: item.text, type: 'text' };
  const extension: Extension[] = [];
  const research: Extension[] = [];
  if (item.reverse) research.push({ url: 'reverse', valueBoolean: true });
  if (item.quasiIdentifier) research.push({ url: 'quasiIdentifier', valueBoolean: true });
  if (item.instructed !== null) research.push({ url: 'instructed', valueInteger: item.instructed });
  if (item.shuffle !== null) research.push({ url: 'shuffle', valueString: item.shuffle });
  if (item.assign !== null) research.push({ url: 'assignBlock', valueInteger: item.assign.blockSize });
  if (research.length) extension.push({ url: RESEARCH_ITEM_URL, extension: research });
  if (item.kind === 'yesno') out.type = 'boolean';
  else if (item.kind === 'numeric') {
    out.type = 'integer';
    if (item.min !== null) extension.push({ url: URL.minValue, valueInteger: item.min });
    if (item.max !== null) extension.push({ url: URL.maxValue, valueInteger: item.max });
  } else if (item.kind === 'likert' || item.kind === 'choice') {
    out.type = 'choice';
    const system = item.kind === 'likert' ? LIKERT_SYSTEM : CHOICE_SYSTEM;
    out.answerOption = item.options.map((o) => ({
      valueCoding: { system, code: String(o.value), display: o.label },
      extension: [{ url: URL.ordinalValue, valueDecimal: o.value }],
    }));
  }
  if (item.required) out.required = true;
  if (item.condition) {
    const target = items.find((t) => t.name === item.condition!.question)!;
    const c = item.condition;
    const answer =
      target.kind === 'yesno'
        ? { answerBoolean: c.value === 1 }
        : target.kind === 'numeric'
          ? { answerInteger: c.value }
          : {
              answerCoding: { system: target.kind === 'likert' ? LIKERT_SYSTEM : CHOICE_SYSTEM, code: String(c.value) },
            };
    out.enableWhen = [{ question: c.question, operator: c.operator, ...answer }];
  }
  if (extension.length) out.extension = extension;
  return out;
}

function scaleSpec(s: SurveyScale): ScaleSpec {
  return {
    id: s.id,
    name: { nl: s.label },
    code: null,
    method: s.method,
    items: s.items,
    reverse: s.reverse,
    itemMin: s.itemMin,
    itemMax: s.itemMax,
    maxMissingFraction: (s.items.length - s.minValid) / s.items.length + 1e-9,
    multiplier: 1,
    decimals: null,
    subscaleOf: null,
    direction: 'none',
    bands: [],
    bandsSource: null,
    flags: [],
    cutoff: null,
    reliability: null,
    sd: null,
    clinical: null,
    nonClinical: null,
    reliableChange: null,
    norms: [],
  };
}

/** A FHIR Questionnaire for a survey, validated by the instruments engine. */
export function buildQuestionnaire(
  meta: { id: string; title: string; version: number; lang: 'nl' | 'en' },
  items: SurveyItem[],
  scales: SurveyScale[],
): Questionnaire {
  const spec = emptySpec();
  spec.catalog = { shippedByDefault: false, projectAuthored: false, audience: 'therapist', basedOn: null };
  spec.scales = scales.map(scaleSpec);
  const questionnaire: Questionnaire = {
    resourceType: 'Questionnaire',
    id: meta.id,
    url: `https://spiegel.example/fhir/Questionnaire/research-${meta.id}`,
    version: String(meta.version),
    title: meta.title,
    status: 'active',
    language: meta.lang,
    extension: [encodeScoringExtension(spec, meta.lang)],
    item: items.map((item) => itemToFhir(item, items)),
  };
  const validation = validateQuestionnaire(questionnaire);
  if (!validation.ok)
    throw new SpiegelError(
      'SURVEY_INVALID',
      validation.issues.find((i) => i.severity === 'error')?.reason,
      validation.issues,
    );
  return questionnaire;
}

/** A seeded uniform generator on [0, 1) (FNV-1a hash of the seed, then xorshift32). */
function seeded(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return () => {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    return (h >>> 0) / 4294967296;
  };
}

/**
 * Randomisation to arms in permuted balanced blocks: respondent `index` (0-based, in order of consent)
 * gets position index mod blockSize of block ⌊index / blockSize⌋, a shuffle (seeded by `seed` and the
 * block number) of every arm code blockSize/arms times. Every completed block is exactly balanced, and
 * the whole sequence can be regenerated from the seed (the study id).
 */
export function allocateArm(seed: string, codes: readonly number[], blockSize: number, index: number): number {
  const block = Math.floor(index / blockSize);
  const next = seeded(`${seed}:${block}`);
  const slots = Array.from({ length: blockSize }, (_, k) => codes[k % codes.length]);
  for (let k = slots.length - 1; k > 0; k--) {
    const j = Math.floor(next() * (k + 1));
    [slots[k], slots[j]] = [slots[j], slots[k]];
  }
  return slots[index % blockSize];
}

/**
 * The order to show the items in for one respondent: items of a shuffle group trade places among the
 * group's own positions, by a permutation seeded from `seed` (the respondent's signed state, so a page
 * shown again after an error keeps its order). Everything else stays where the researcher put it.
 */
export function presentationOrder(items: readonly SurveyItem[], seed: string): SurveyItem[] {
  const next = seeded(seed);
  const out = [...items];
  for (const group of new Set(items.map((i) => i.shuffle).filter((g) => g !== null))) {
    const positions = items.flatMap((item, k) => (item.shuffle === group ? [k] : []));
    const members = positions.map((k) => items[k]);
    for (let k = members.length - 1; k > 0; k--) {
      const j = Math.floor(next() * (k + 1));
      [members[k], members[j]] = [members[j], members[k]];
    }
    positions.forEach((p, k) => (out[p] = members[k]));
  }
  return out;
}

/** Parses the text format and builds the questionnaire, or throws SURVEY_INVALID listing every problem. */
export function surveyFromText(
  text: string,
  meta: { id: string; title: string; version: number; lang: 'nl' | 'en' },
): Survey {
  const { items, scales, problems } = parseSurveyText(text, meta.lang);
  if (problems.length === 0 && items.length === 0) problems.push({ line: 1, message: 'the survey has no items.' });
  if (problems.length > 0)
    throw new SpiegelError('SURVEY_INVALID', problems.map((p) => `line ${p.line}: ${p.message}`).join(' '), problems);
  return readSurvey(buildQuestionnaire(meta, items, scales));
}

/** The text format of a survey (the inverse of parseSurveyText), for the editor. */
export function surveyToText(survey: Survey): string {
  const lines: string[] = [];
  for (const item of survey.items) {
    const kind = item.kind === 'likert' ? `likert${item.options.length}` : item.kind;
    const flags: string[] = [];
    if (item.reverse) flags.push('reverse');
    if (item.quasiIdentifier) flags.push('qi');
    if (item.required) flags.push('required');
    if (item.kind === 'numeric' && item.min !== null) flags.push(`min=${item.min}`);
    if (item.kind === 'numeric' && item.max !== null) flags.push(`max=${item.max}`);
    if (item.instructed !== null) flags.push(`instructed=${item.instructed}`);
    if (item.shuffle !== null) flags.push(`shuffle=${item.shuffle}`);
    if (item.assign !== null) flags.push('assign', `block=${item.assign.blockSize}`);
    if (item.condition) {
      const target = survey.items.find((t) => t.name === item.condition!.question);
      const v = target?.kind === 'yesno' ? (item.condition.value === 1 ? 'ja' : 'nee') : String(item.condition.value);
      flags.push(`if ${item.condition.question}${item.condition.operator}${v}`);
    }
    const options = item.kind === 'choice' ? ` | ${item.options.map((o) => `${o.value}=${o.label}`).join('; ')}` : '';
    lines.push(`${[kind, item.name, ...flags].join(' ')} | ${item.text}${options}`);
  }
  for (const s of survey.scales)
    lines.push(`scale ${s.id} ${s.method} minvalid=${s.minValid} | ${s.label} | ${s.items.join(' ')}`);
  return lines.join('\n');
}
