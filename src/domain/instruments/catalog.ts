import { SpiegelError } from '../errors.ts';
import type { Questionnaire } from './fhir.ts';
import { IssueList } from './issues.ts';
import { usedTranslationLanguages } from './scoring-check.ts';
import { parseScoringExtension } from './scoring-parse.ts';
import type { Audience, LicenceSpec, ScoringSpec, TranslationState } from './scoring-spec.ts';
import { languagePolicy, titleText } from './translation.ts';

/** Shown with every project-authored instrument; the wording is fixed by the project. */
export const NOT_VALIDATED_NOTICE = { nl: 'geen gevalideerd instrument', en: 'not a validated instrument' } as const;

export type Restriction = 'non-commercial-only' | 'no-modification' | 'acknowledgement-required' | 'copyright-on-form' | 'not-redistributable';

export interface CatalogEntry {
  id: string;
  url: string | null;
  version: string | null;
  /** Title per UI language; `lang` shows which language the text is in when it fell back. */
  title: Record<'nl' | 'en', { text: string; lang: string; fellBack: boolean }>;
  audience: Audience;
  shippedByDefault: boolean;
  projectAuthored: boolean;
  /** Present for project-authored instruments only. */
  validationNotice: typeof NOT_VALIDATED_NOTICE | null;
  basedOn: string | null;
  scored: boolean;
  scales: { id: string; code: string | null }[];
  licence: LicenceSpec | null;
  copyright: string | null;
  restrictions: Restriction[];
  languages: { lang: string; status: TranslationState }[];
}

/** A catalogue row for an instrument (pure; works on any questionnaire, scored or not). */
export function instrumentCatalogEntry(q: Questionnaire, spec?: ScoringSpec | null): CatalogEntry {
  const rules = spec === undefined ? (parseScoringExtension(q, new IssueList())?.spec ?? null) : spec;
  const policy = languagePolicy(q, rules);
  const title = (lang: 'nl' | 'en'): CatalogEntry['title']['nl'] => {
    const picked = titleText(q, lang, policy);
    return { text: picked?.text ?? q.id ?? '', lang: picked?.lang ?? policy.base, fellBack: picked?.fellBack ?? true };
  };
  const licence = rules?.licence ?? null;
  const restrictions: Restriction[] = [];
  if (licence?.nonCommercialOnly) restrictions.push('non-commercial-only');
  if (licence && !licence.modificationAllowed) restrictions.push('no-modification');
  if (licence?.requiresAcknowledgement) restrictions.push('acknowledgement-required');
  if (licence?.showCopyrightOnForm) restrictions.push('copyright-on-form');
  if (licence && !licence.redistributable) restrictions.push('not-redistributable');
  const languages = new Set([policy.base, ...(rules?.translations ?? []).map((t) => t.lang), ...usedTranslationLanguages(q).keys()]);
  const projectAuthored = rules?.catalog.projectAuthored ?? false;
  return {
    id: q.id ?? q.url ?? 'unnamed',
    url: q.url ?? null,
    version: q.version ?? null,
    title: { nl: title('nl'), en: title('en') },
    audience: rules?.catalog.audience ?? 'any',
    shippedByDefault: rules?.catalog.shippedByDefault ?? false,
    projectAuthored,
    validationNotice: projectAuthored ? NOT_VALIDATED_NOTICE : null,
    basedOn: rules?.catalog.basedOn ?? null,
    scored: (rules?.scales.length ?? 0) > 0,
    scales: (rules?.scales ?? []).map((s) => ({ id: s.id, code: s.code?.code ?? null })),
    licence,
    copyright: typeof q.copyright === 'string' ? q.copyright : null,
    restrictions,
    languages: [...languages].map((lang) => ({ lang, status: policy.status(lang) })),
  };
}

/**
 * An organisation may use an instrument that requires acknowledgement only after an admin acknowledged
 * its licence. Returns the registry error to report, or null when use is allowed.
 */
export function licenceUseError(entry: CatalogEntry, acknowledged: boolean): SpiegelError | null {
  if (entry.licence?.requiresAcknowledgement && !acknowledged) {
    return new SpiegelError('LICENCE_NOT_ACKNOWLEDGED', undefined, { instrument: entry.id, licence: entry.licence.licence, restrictions: entry.restrictions });
  }
  return null;
}
