/**
 * REDCap data dictionaries (the instrument-designer CSV), so existing instruments come in and Spiegel
 * surveys go out. Export writes the standard 18 columns; what REDCap has no column for (reverse keying,
 * quasi-identifiers, instructed-response items, Likert items, the minimum-valid-items rule) goes into the
 * Field Annotation as @SPIEGEL-… tags, so a round trip keeps it. Import reads radio, dropdown, yesno,
 * truefalse, text (integer/number), notes and calc fields that are mean() or sum() of fields, and simple
 * branching ([field] = 'value' or <>); anything else is refused with its row number, nothing imported.
 * The result is the survey text format (docs/research.md), checked by surveyFromText as any survey is.
 */
import { SpiegelError } from '../errors.ts';
import { parseCsv } from '../qual/csv.ts';
import type { Survey, SurveyItem } from './survey.ts';

export const REDCAP_HEADER = [
  'Variable / Field Name',
  'Form Name',
  'Section Header',
  'Field Type',
  'Field Label',
  'Choices, Calculations, OR Slider Labels',
  'Field Note',
  'Text Validation Type OR Show Slider Number',
  'Text Validation Min',
  'Text Validation Max',
  'Identifier?',
  'Branching Logic (Show field only if...)',
  'Required Field?',
  'Custom Alignment',
  'Question Number (surveys only)',
  'Matrix Group Name',
  'Matrix Ranking?',
  'Field Annotation',
];

// Plain field, no formula neutralising: REDCap reads branching logic and calculations literally.
const cell = (v: string): string => (/[",\n\r]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v);

function branching(item: SurveyItem): string {
  if (!item.condition) return '';
  return `[${item.condition.question}] ${item.condition.operator === '=' ? '=' : '<>'} '${item.condition.value}'`;
}

/** The survey as a REDCap data dictionary (one form, named after `formName`). */
export function surveyToRedcap(survey: Survey, formName = 'survey'): string {
  const form =
    formName
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'survey';
  const rows: string[][] = [];
  for (const item of survey.items) {
    const tags: string[] = [];
    if (item.kind === 'likert') tags.push(`@SPIEGEL-LIKERT=${item.options.length}`);
    if (item.reverse) tags.push('@SPIEGEL-REVERSE');
    if (item.quasiIdentifier) tags.push('@SPIEGEL-QI');
    if (item.instructed !== null) tags.push(`@SPIEGEL-INSTRUCTED=${item.instructed}`);
    if (item.shuffle !== null) tags.push(`@SPIEGEL-SHUFFLE=${item.shuffle}`);
    if (item.assign !== null) tags.push(`@SPIEGEL-ASSIGN=${item.assign.blockSize}`);
    const type =
      item.kind === 'yesno' ? 'yesno' : item.kind === 'numeric' ? 'text' : item.kind === 'open' ? 'notes' : 'radio';
    const choices =
      item.kind === 'likert' || item.kind === 'choice'
        ? item.options.map((o) => `${o.value}, ${o.label}`).join(' | ')
        : '';
    rows.push([
      item.name,
      form,
      '',
      type,
      item.text,
      choices,
      '',
      item.kind === 'numeric' ? 'integer' : '',
      item.kind === 'numeric' && item.min !== null ? String(item.min) : '',
      item.kind === 'numeric' && item.max !== null ? String(item.max) : '',
      '',
      branching(item),
      item.required ? 'y' : '',
      '',
      '',
      '',
      '',
      tags.join(' '),
    ]);
  }
  for (const s of survey.scales)
    rows.push([
      s.id,
      form,
      '',
      'calc',
      s.label,
      `${s.method}(${s.items.map((i) => `[${i}]`).join(',')})`,
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      `@SPIEGEL-MINVALID=${s.minValid}`,
    ]);
  return [REDCAP_HEADER, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

const clean = (s: string): string =>
  s
    .replace(/<[^>]*>/g, '')
    .replace(/[|\r\n]+/g, ' ')
    .trim();

/** A REDCap data dictionary as survey text; SURVEY_INVALID listing every refused row. */
export function redcapToSurveyText(csv: string): string {
  const table = parseCsv(csv.replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c.trim() !== ''));
  if (table.length < 2) throw new SpiegelError('SURVEY_INVALID', 'The data dictionary has no fields.');
  const header = table[0].map((h) => h.trim().toLowerCase());
  const col = (start: string) => header.findIndex((h) => h.startsWith(start));
  const c = {
    name: col('variable / field name'),
    type: col('field type'),
    label: col('field label'),
    choices: col('choices'),
    validation: col('text validation type'),
    min: col('text validation min'),
    max: col('text validation max'),
    branching: col('branching logic'),
    required: col('required field'),
    identifier: col('identifier'),
    annotation: col('field annotation'),
  };
  if (c.name < 0 || c.type < 0 || c.label < 0)
    throw new SpiegelError(
      'SURVEY_INVALID',
      'This is not a REDCap data dictionary: a field name, type or label column is missing.',
    );
  const lines: string[] = [];
  const problems: { line: number; message: string }[] = [];
  table.slice(1).forEach((row, i) => {
    const at = (k: number) => (k >= 0 ? (row[k] ?? '').trim() : '');
    const line = i + 2;
    const name = at(c.name);
    const type = at(c.type).toLowerCase();
    const label = clean(at(c.label)) || name;
    const note = at(c.annotation);
    const tag = (t: string) => new RegExp(`@SPIEGEL-${t}(?:=(\\d+))?`).exec(note);
    const flags: string[] = [];
    if (tag('REVERSE')) flags.push('reverse');
    if (tag('QI') || at(c.identifier).toLowerCase() === 'y') flags.push('qi');
    if (at(c.required).toLowerCase() === 'y') flags.push('required');
    const instructed = tag('INSTRUCTED');
    if (instructed?.[1]) flags.push(`instructed=${instructed[1]}`);
    const shuffle = /@SPIEGEL-SHUFFLE=([A-Za-z][A-Za-z0-9_]{0,31})/.exec(note);
    if (shuffle) flags.push(`shuffle=${shuffle[1]}`);
    const assign = tag('ASSIGN');
    if (assign?.[1]) flags.push('assign', `block=${assign[1]}`);
    const logic = at(c.branching);
    if (logic) {
      const m = /^\[([A-Za-z][A-Za-z0-9_]*)\]\s*(=|<>|!=)\s*['"]?(-?\d+)['"]?$/.exec(logic);
      if (!m) problems.push({ line, message: `branching '${logic}' is more than one [field] = 'value' condition` });
      else flags.push(`if ${m[1]}${m[2] === '=' ? '=' : '!='}${m[3]}`);
    }
    if (type === 'descriptive') return;
    if (type === 'radio' || type === 'dropdown') {
      const options = at(c.choices)
        .split('|')
        .map((o) => /^\s*(-?\d+)\s*,\s*(.*?)\s*$/.exec(o))
        .filter((m) => m !== null);
      const likert = tag('LIKERT');
      if (likert?.[1]) lines.push(`${[`likert${likert[1]}`, name, ...flags].join(' ')} | ${label}`);
      else if (options.length < 2)
        problems.push({ line, message: `'${name}' needs coded choices "1, Label | 2, Label"` });
      else
        lines.push(
          `${['choice', name, ...flags].join(' ')} | ${label} | ${options.map((m) => `${m[1]}=${clean(m[2]).replace(/[;=]/g, ',')}`).join('; ')}`,
        );
    } else if (type === 'yesno' || type === 'truefalse')
      lines.push(`${['yesno', name, ...flags].join(' ')} | ${label}`);
    else if (type === 'notes') lines.push(`${['open', name, ...flags].join(' ')} | ${label}`);
    else if (type === 'text') {
      const validation = at(c.validation).toLowerCase();
      if (validation === 'integer' || validation === 'number') {
        if (at(c.min) !== '') flags.push(`min=${at(c.min)}`);
        if (at(c.max) !== '') flags.push(`max=${at(c.max)}`);
        lines.push(`${['numeric', name, ...flags].join(' ')} | ${label}`);
      } else lines.push(`${['open', name, ...flags].join(' ')} | ${label}`);
    } else if (type === 'calc') {
      const m = /^\s*(mean|sum)\s*\(((?:\s*\[[A-Za-z0-9_]+\]\s*,?)+)\)\s*$/i.exec(at(c.choices));
      if (!m) problems.push({ line, message: `calc field '${name}' is not mean([a],[b],…) or sum([a],[b],…)` });
      else {
        const items = [...m[2].matchAll(/\[([A-Za-z0-9_]+)\]/g)].map((x) => x[1]);
        const minValid = tag('MINVALID')?.[1] ?? String(items.length);
        lines.push(`scale ${name} ${m[1].toLowerCase()} minvalid=${minValid} | ${label} | ${items.join(' ')}`);
      }
    } else problems.push({ line, message: `field type '${type}' of '${name}' is not supported` });
  });
  if (problems.length > 0)
    throw new SpiegelError(
      'SURVEY_INVALID',
      `REDCap data dictionary: ${problems.map((p) => `row ${p.line}: ${p.message}`).join('; ')}.`,
      problems,
    );
  return lines.join('\n');
}
