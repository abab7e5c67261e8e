import { URL, type Extension } from './fhir.ts';
import type { LocalizedText, NormGroup, ScaleSpec, ScoringSpec, Sourced } from './scoring-spec.ts';

/**
 * Writes a ScoringSpec back as the Spiegel scoring extension (the inverse of parseScoringExtension).
 * Used when an imported questionnaire receives the rules of a known instrument, and to author files.
 * `lang` is the questionnaire's language: labels in it become valueString, others FHIR translations.
 */
export function encodeScoringExtension(spec: ScoringSpec, lang: string): Extension {
  const root: Extension[] = [];
  const c = spec.catalog;
  root.push(complex('catalog', [
    bool('shippedByDefault', c.shippedByDefault),
    bool('projectAuthored', c.projectAuthored),
    { url: 'audience', valueCode: c.audience },
    ...(c.basedOn ? [str('basedOn', c.basedOn)] : []),
  ]));
  if (spec.licence) {
    const l = spec.licence;
    root.push(complex('licence', [
      str('licence', l.licence),
      ...(l.licenceUrl ? [{ url: 'licenceUrl', valueUri: l.licenceUrl }] : []),
      str('source', l.source),
      bool('redistributable', l.redistributable),
      bool('nonCommercialOnly', l.nonCommercialOnly),
      bool('modificationAllowed', l.modificationAllowed),
      bool('requiresAcknowledgement', l.requiresAcknowledgement),
      bool('showCopyrightOnForm', l.showCopyrightOnForm),
    ]));
  }
  for (const t of spec.translations) {
    root.push(complex('translation', [{ url: 'lang', valueCode: t.lang }, { url: 'status', valueCode: t.status }, ...(t.source ? [str('source', t.source)] : [])]));
  }
  for (const s of spec.scales) root.push(encodeScale(s, lang));
  for (const r of spec.risks) {
    root.push(complex('risk', [
      str('item', r.item),
      { url: 'operator', valueCode: r.operator },
      dec('threshold', r.threshold),
      { url: 'code', valueCode: r.code },
      label('label', r.label, lang),
      ...(r.source ? [str('source', r.source)] : []),
    ]));
  }
  return { url: URL.spiegelScoring, extension: root };
}

function encodeScale(s: ScaleSpec, lang: string): Extension {
  const parts: Extension[] = [{ url: 'id', valueId: s.id }];
  if (Object.keys(s.name).length > 0) parts.push(label('name', s.name, lang));
  if (s.code) parts.push({ url: 'code', valueCoding: { ...s.code } });
  parts.push({ url: 'method', valueCode: s.method });
  for (const item of s.items) parts.push(str('item', item));
  for (const item of s.reverse) parts.push(str('reverse', item));
  if (s.itemMin !== null) parts.push(dec('itemMin', s.itemMin));
  if (s.itemMax !== null) parts.push(dec('itemMax', s.itemMax));
  if (s.maxMissingFraction !== 0) parts.push(dec('maxMissingFraction', s.maxMissingFraction));
  if (s.multiplier !== 1) parts.push(dec('multiplier', s.multiplier));
  if (s.decimals !== null) parts.push({ url: 'decimals', valueInteger: s.decimals });
  if (s.subscaleOf) parts.push({ url: 'subscaleOf', valueId: s.subscaleOf });
  parts.push({ url: 'direction', valueCode: s.direction });
  for (const b of s.bands) parts.push(complex('band', [dec('from', b.from), { url: 'code', valueCode: b.code }, label('label', b.label, lang)]));
  if (s.bandsSource) parts.push(str('bandsSource', s.bandsSource));
  for (const f of s.flags) {
    parts.push(complex('flag', [
      { url: 'code', valueCode: f.code },
      { url: 'operator', valueCode: f.operator },
      dec('threshold', f.threshold),
      label('label', f.label, lang),
      str('source', f.source),
    ]));
  }
  if (s.cutoff) parts.push(sourced('cutoff', s.cutoff));
  if (s.reliability) parts.push(complex('reliability', [dec('value', s.reliability.value), { url: 'kind', valueCode: s.reliability.kind }, str('source', s.reliability.source)]));
  if (s.sd) parts.push(sourced('sd', s.sd));
  if (s.clinical) parts.push(norm('clinicalNorm', s.clinical, lang, false));
  if (s.nonClinical) parts.push(norm('nonClinicalNorm', s.nonClinical, lang, false));
  if (s.reliableChange) parts.push(sourced('reliableChange', s.reliableChange));
  for (const n of s.norms) parts.push(norm('norm', n, lang, true));
  return complex('scale', parts);
}

function norm(url: string, n: NormGroup, lang: string, withGroup: boolean): Extension {
  return complex(url, [
    ...(withGroup ? [{ url: 'group', valueCode: n.group }] : []),
    ...(Object.keys(n.label).length > 0 ? [label('label', n.label, lang)] : []),
    dec('mean', n.mean),
    dec('sd', n.sd),
    ...(n.n !== null ? [{ url: 'n', valueInteger: n.n }] : []),
    str('source', n.source),
  ]);
}

function sourced(url: string, s: Sourced): Extension {
  return complex(url, [dec('value', s.value), str('source', s.source)]);
}

function complex(url: string, extension: Extension[]): Extension {
  return { url, extension };
}

function str(url: string, value: string): Extension {
  return { url, valueString: value };
}

function bool(url: string, value: boolean): Extension {
  return { url, valueBoolean: value };
}

function dec(url: string, value: number): Extension {
  return { url, valueDecimal: value };
}

/** A label in `lang`, with the other languages as FHIR translation extensions on _valueString. */
export function label(url: string, text: LocalizedText, lang: string): Extension {
  const base = text[lang] ?? Object.values(text)[0] ?? '';
  const others = Object.entries(text).filter(([l]) => l !== lang && text[lang] !== undefined);
  const ext: Extension = { url, valueString: base };
  if (others.length > 0) ext._valueString = { extension: others.map(([l, content]) => translationExtension(l, content)) };
  return ext;
}

export function translationExtension(lang: string, content: string): Extension {
  return { url: URL.translation, extension: [{ url: 'lang', valueCode: lang }, { url: 'content', valueString: content }] };
}
