import { describe, expect, it } from 'vitest';
import { NOT_VALIDATED_NOTICE, buildInstrumentLibrary, instrumentCatalogEntry, licenceUseError } from './index.ts';
import { LIBRARY, fixture, LHC_PHQ9, readJson, shipped, shippedIds } from '../../../test/fixtures/instruments/load.ts';

const library = buildInstrumentLibrary(shippedIds().map((id) => ({ origin: `${LIBRARY}${id}.json`, json: readJson(`${LIBRARY}${id}.json`) })));

describe('the shipped library', () => {
  it('loads every instrument, validated and compiled', () => {
    expect(library.rejected).toEqual([]);
    expect([...library.instruments.keys()].sort()).toEqual(['brs', 'core10', 'gad7', 'k10', 'phq4', 'phq9', 'spiegel-alliance', 'spiegel-tears', 'who5']);
  });

  it('ships PHQ-9, GAD-7, PHQ-4, K10, BRS and the project-authored checks by default; WHO-5 and CORE-10 are off', () => {
    const on = [...library.instruments.values()].filter((i) => i.catalog.shippedByDefault).map((i) => i.id).sort();
    expect(on).toEqual(['brs', 'gad7', 'k10', 'phq4', 'phq9', 'spiegel-alliance', 'spiegel-tears']);
  });

  it('carries licence facts: Pfizer line, non-commercial and acknowledgement for the optional ones', () => {
    const entry = (id: string) => library.instruments.get(id)!.catalog;
    for (const id of ['phq9', 'gad7', 'phq4']) expect(entry(id).copyright).toContain('Pfizer');
    expect(entry('who5')).toMatchObject({ restrictions: ['non-commercial-only', 'acknowledgement-required', 'copyright-on-form'], licence: { requiresAcknowledgement: true } });
    expect(entry('core10')).toMatchObject({ copyright: '© CORE System Trust: https://www.coresystemtrust.org.uk/copyright.pdf', licence: { modificationAllowed: false, nonCommercialOnly: true } });
    expect(entry('core10').restrictions).toContain('no-modification');
    expect(licenceUseError(entry('core10'), false)?.code).toBe('LICENCE_NOT_ACKNOWLEDGED');
    expect(licenceUseError(entry('core10'), true)).toBeNull();
    expect(licenceUseError(entry('phq9'), false)).toBeNull();
  });

  it('labels project-authored instruments as not validated, in Dutch and English', () => {
    for (const id of ['spiegel-alliance', 'spiegel-tears']) {
      const e = library.instruments.get(id)!.catalog;
      expect(e).toMatchObject({ projectAuthored: true, validationNotice: NOT_VALIDATED_NOTICE });
      expect(e.title.nl.text).toContain('geen gevalideerd instrument');
    }
    expect(NOT_VALIDATED_NOTICE).toEqual({ nl: 'geen gevalideerd instrument', en: 'not a validated instrument' });
    expect(library.instruments.get('spiegel-alliance')!.catalog.title.en).toMatchObject({ text: expect.stringContaining('not a validated instrument'), lang: 'en', fellBack: false });
  });

  it('ships no Dutch text for the licensed instruments, and the seed items with an unverified English translation', () => {
    for (const id of ['phq9', 'gad7', 'phq4', 'k10', 'brs', 'who5', 'core10']) {
      expect(library.instruments.get(id)!.catalog.languages).toEqual([{ lang: 'en', status: 'original' }]);
    }
    expect(library.instruments.get('spiegel-tears')!.catalog.languages).toEqual([{ lang: 'nl', status: 'original' }, { lang: 'en', status: 'unverified' }]);
  });

  it('rejects duplicates and questionnaires without licence metadata', () => {
    const again = buildInstrumentLibrary([
      { origin: 'a.json', json: shipped('phq9') },
      { origin: 'b.json', json: shipped('phq9') },
      { origin: 'c.json', json: fixture(LHC_PHQ9) },
    ]);
    expect([...again.instruments.keys()]).toEqual(['phq9']);
    expect(again.rejected.map((r) => [r.origin, r.issues.find((i) => i.severity === 'error')?.code])).toEqual([
      ['b.json', 'INSTRUMENT_ID_DUPLICATE'],
      ['c.json', 'LICENCE_MISSING'],
    ]);
  });

  it('gives a catalogue entry for an unscored questionnaire too', () => {
    expect(instrumentCatalogEntry(fixture(LHC_PHQ9) as never)).toMatchObject({ id: '44249-1-x', scored: false, licence: null, projectAuthored: false, shippedByDefault: false });
  });
});
