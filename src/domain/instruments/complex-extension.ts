import { URL, type Extension } from './fhir.ts';
import { isFiniteNumber, isNonEmptyString, isObject, pointer, type IssueCode, type IssueList } from './issues.ts';
import type { LocalizedText } from './scoring-spec.ts';

/**
 * A small schema-driven reader for FHIR complex extensions (nested `extension` arrays of url + value[x]).
 * It reports unknown, repeated, missing and mistyped sub-extensions with exact JSON pointers, which is
 * what makes hand-edited instrument files debuggable.
 */

export type Kind = 'string' | 'code' | 'id' | 'uri' | 'boolean' | 'integer' | 'decimal' | 'coding' | 'complex';

export interface Field {
  kind: Kind;
  repeat?: boolean;
  required?: boolean;
  /** Issue code when a required field is absent (default FIELD_MISSING). */
  missing?: IssueCode;
}

export type Schema = Record<string, Field>;

export interface Entry {
  value: unknown;
  ext: Record<string, unknown>;
  path: string;
}

export const VALUE_KEY: Record<Kind, string> = {
  string: 'valueString',
  code: 'valueCode',
  id: 'valueId',
  uri: 'valueUri',
  boolean: 'valueBoolean',
  integer: 'valueInteger',
  decimal: 'valueDecimal',
  coding: 'valueCoding',
  complex: 'extension',
};

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function valueOk(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'string':
    case 'uri':
      return isNonEmptyString(v);
    case 'code':
      return isNonEmptyString(v) && !/\s/.test(v);
    case 'id':
      return typeof v === 'string' && ID.test(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return Number.isInteger(v);
    case 'decimal':
      return isFiniteNumber(v);
    case 'coding':
      return isObject(v) && isNonEmptyString(v.code);
    case 'complex':
      return Array.isArray(v);
  }
}

/** Reads the sub-extensions of `ext` (at `path`) against `schema`. Bad entries are reported and skipped. */
export function readComplex(ext: Record<string, unknown>, path: string, schema: Schema, list: IssueList): Map<string, Entry[]> {
  const out = new Map<string, Entry[]>();
  const subs = ext.extension;
  if (!Array.isArray(subs)) {
    list.error(pointer(path, 'extension'), 'SCORING_EXTENSION_INVALID', 'A complex extension needs an extension array.');
    return out;
  }
  subs.forEach((sub, i) => {
    const p = pointer(path, 'extension', i);
    if (!isObject(sub) || typeof sub.url !== 'string') {
      list.error(p, 'SCORING_EXTENSION_INVALID', 'A sub-extension must be an object with a url.');
      return;
    }
    const field = Object.hasOwn(schema, sub.url) ? schema[sub.url] : undefined;
    if (!field) {
      list.error(pointer(p, 'url'), 'SUB_EXTENSION_UNKNOWN', `"${sub.url}" is not allowed here; allowed: ${Object.keys(schema).join(', ')}.`);
      return;
    }
    const key = VALUE_KEY[field.kind];
    const value = sub[key];
    if (!valueOk(field.kind, value)) {
      list.error(pointer(p, key), 'SCORING_EXTENSION_INVALID', `"${sub.url}" needs ${key} (${field.kind}).`);
      return;
    }
    const entries = out.get(sub.url) ?? [];
    if (entries.length > 0 && !field.repeat) {
      list.error(p, 'SUB_EXTENSION_REPEATED', `"${sub.url}" may occur only once.`);
      return;
    }
    entries.push({ value, ext: sub, path: p });
    out.set(sub.url, entries);
  });
  for (const [name, field] of Object.entries(schema)) {
    if (field.required && !out.has(name)) {
      list.error(path, field.missing ?? 'FIELD_MISSING', `Sub-extension "${name}" is required here.`);
    }
  }
  return out;
}

export function first(fields: Map<string, Entry[]>, name: string): Entry | undefined {
  return fields.get(name)?.[0];
}

export function str(fields: Map<string, Entry[]>, name: string): string | null {
  const e = first(fields, name);
  return e ? (e.value as string) : null;
}

export function num(fields: Map<string, Entry[]>, name: string): number | null {
  const e = first(fields, name);
  return e ? (e.value as number) : null;
}

export function bool(fields: Map<string, Entry[]>, name: string, fallback: boolean): boolean {
  const e = first(fields, name);
  return e ? (e.value as boolean) : fallback;
}

/** A label in the questionnaire's language plus its FHIR translation extensions on `_valueString`. */
export function localized(entry: Entry | undefined, baseLang: string): LocalizedText {
  if (!entry) return {};
  const out: Record<string, string> = { [baseLang]: entry.value as string };
  const under = entry.ext._valueString;
  if (isObject(under)) Object.assign(out, translationsOf(under.extension));
  return out;
}

/** lang → content of the FHIR translation extensions in an `_element.extension` array. */
export function translationsOf(extensions: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(extensions)) return out;
  for (const ext of extensions) {
    if (!isObject(ext) || ext.url !== URL.translation || !Array.isArray(ext.extension)) continue;
    const lang = ext.extension.find((s) => isObject(s) && s.url === 'lang') as Extension | undefined;
    const content = ext.extension.find((s) => isObject(s) && s.url === 'content') as Extension | undefined;
    if (lang && typeof lang.valueCode === 'string' && content && typeof content.valueString === 'string') {
      out[lang.valueCode] = content.valueString;
    }
  }
  return out;
}
