import type { AnswerOption, Extension } from './fhir.ts';
import { URL } from './fhir.ts';
import { isFiniteNumber, isObject, pointer, type IssueList } from './issues.ts';

const STRING_VALUE = /^value(String|Code|Id|Uri|Url|Canonical|Markdown|Date|DateTime|Time|Instant|Oid|Uuid|Base64Binary)$/;
const INTEGER_VALUE = /^value(Integer|PositiveInt|UnsignedInt)$/;

/**
 * Structural check of an `extension` array anywhere in a resource: objects with a url, and value[x] of the
 * JSON type its name implies. Foreign extensions only warn (imported files often carry harmless quirks,
 * such as the LHC-Forms PHQ-9 giving one optionPrefix as a number); the Spiegel extension is parsed strictly
 * elsewhere.
 */
export function checkExtensions(value: unknown, path: string, list: IssueList): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    list.error(path, 'FIELD_TYPE', 'extension must be an array.');
    return;
  }
  value.forEach((ext, i) => {
    const p = pointer(path, i);
    if (!isObject(ext) || typeof ext.url !== 'string' || ext.url === '') {
      list.error(p, 'EXTENSION_INVALID');
      return;
    }
    for (const key of Object.keys(ext)) {
      if (!key.startsWith('value')) continue;
      const v = ext[key];
      const bad =
        (STRING_VALUE.test(key) && typeof v !== 'string') ||
        (INTEGER_VALUE.test(key) && !Number.isInteger(v)) ||
        (key === 'valueDecimal' && !isFiniteNumber(v)) ||
        (key === 'valueBoolean' && typeof v !== 'boolean') ||
        (!STRING_VALUE.test(key) && !INTEGER_VALUE.test(key) && key !== 'valueDecimal' && key !== 'valueBoolean' && !isObject(v));
      if (bad) list.warn(pointer(p, key), 'EXTENSION_VALUE_TYPE', `${key} has the wrong JSON type (${typeof v}).`);
    }
    if (ext.extension !== undefined) checkExtensions(ext.extension, pointer(p, 'extension'), list);
  });
}

export function findExtension(extensions: readonly Extension[] | undefined, url: string): Extension | undefined {
  if (!Array.isArray(extensions)) return undefined;
  return extensions.find((e) => isObject(e) && e.url === url);
}

/** Score of one answer option: ordinalValue first (the R4 core extension), then the newer itemWeight. */
export function optionScore(option: AnswerOption): number | undefined {
  for (const holder of [option.extension, option.valueCoding?.extension]) {
    const ordinal = findExtension(holder, URL.ordinalValue);
    if (ordinal && isFiniteNumber(ordinal.valueDecimal)) return ordinal.valueDecimal;
  }
  for (const holder of [option.extension, option.valueCoding?.extension]) {
    const weight = findExtension(holder, URL.itemWeight);
    if (weight && isFiniteNumber(weight.valueDecimal)) return weight.valueDecimal;
  }
  return undefined;
}

/** Both score extensions with where they sit, for validation of their shape and agreement. */
export function optionScoreExtensions(option: AnswerOption, optionPath: string): { ext: Extension; path: string }[] {
  const out: { ext: Extension; path: string }[] = [];
  const holders: [unknown, string][] = [
    [option.extension, pointer(optionPath, 'extension')],
    [isObject(option.valueCoding) ? option.valueCoding.extension : undefined, pointer(optionPath, 'valueCoding', 'extension')],
  ];
  for (const [holder, path] of holders) {
    if (!Array.isArray(holder)) continue;
    holder.forEach((ext, i) => {
      if (isObject(ext) && (ext.url === URL.ordinalValue || ext.url === URL.itemWeight)) {
        out.push({ ext: ext as Extension, path: pointer(path, i) });
      }
    });
  }
  return out;
}

/** minValue/maxValue extensions of an integer or decimal item. */
export function itemRange(extensions: readonly Extension[] | undefined): { min?: number; max?: number } {
  const min = findExtension(extensions, URL.minValue);
  const max = findExtension(extensions, URL.maxValue);
  const num = (e: Extension | undefined): number | undefined => {
    if (!e) return undefined;
    const v = e.valueInteger ?? e.valueDecimal;
    return isFiniteNumber(v) ? v : undefined;
  };
  return { min: num(min), max: num(max) };
}
