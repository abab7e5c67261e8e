import type { Extension, Questionnaire, QuestionnaireItem } from './fhir.ts';
import { URL } from './fhir.ts';

/**
 * A TEST-ONLY questionnaire for import tests, benches and the browser test. Every text is fixture text,
 * marked as such in both languages; it is no instrument and translates none. Its licence is a made-up
 * restricted one, so the import must ask for an acknowledgement.
 */
const tr = (lang: string, content: string): { extension: Extension[] } => ({
  extension: [
    {
      url: URL.translation,
      extension: [
        { url: 'lang', valueCode: lang },
        { url: 'content', valueString: content },
      ],
    },
  ],
});

const ext = (url: string, values: Array<[string, string, unknown]>): Extension => ({
  url,
  extension: values.map(([u, key, value]) => ({ url: u, [key]: value })),
});

export interface TestQuestionnaireOptions {
  id?: string;
  items?: number;
  /** Leave out the Dutch test text (for overlay tests). */
  dutch?: boolean;
  restricted?: boolean;
}

export function testQuestionnaire(options: TestQuestionnaireOptions = {}): Questionnaire {
  const id = options.id ?? 'test-only-mood';
  const n = options.items ?? 3;
  const dutch = options.dutch ?? true;
  const restricted = options.restricted ?? true;
  const options3 = ['not at all', 'sometimes', 'often'];
  const opties3 = ['helemaal niet', 'soms', 'vaak'];
  const item = (i: number): QuestionnaireItem => ({
    linkId: `t${i}`,
    type: 'choice',
    text: `TEST TEXT question ${i} (fixture, not an instrument)`,
    ...(dutch ? { _text: tr('nl', `TESTTEKST vraag ${i} (testbestand, geen instrument)`) } : {}),
    answerOption: options3.map((display, score) => ({
      valueCoding: {
        system: `https://spiegel.example/fhir/CodeSystem/${id}`,
        code: `a${score}`,
        display: `TEST ${display}`,
        ...(dutch ? { _display: tr('nl', `TEST ${opties3[score]}`) } : {}),
      },
      extension: [{ url: URL.ordinalValue, valueDecimal: score }],
    })),
  });
  const items = Array.from({ length: n }, (_, i) => item(i + 1));
  return {
    resourceType: 'Questionnaire',
    id,
    url: `https://spiegel.example/fhir/Questionnaire/${id}`,
    version: '1.0.0',
    name: 'TEST_ONLY_MOOD',
    title: 'TEST ONLY mood check (fixture)',
    ...(dutch ? { _title: tr('nl', 'ALLEEN TEST stemmingscheck (testbestand)') } : {}),
    status: 'active',
    language: 'en',
    description: 'Test fixture for Spiegel import tests. Not an instrument; all texts are test text.',
    extension: [
      {
        url: URL.spiegelScoring,
        extension: [
          ext('catalog', [
            ['shippedByDefault', 'valueBoolean', false],
            ['projectAuthored', 'valueBoolean', true],
            ['audience', 'valueCode', 'client'],
          ]),
          ext('licence', [
            ['licence', 'valueString', restricted ? 'TEST LICENCE (fixture): non-commercial use only' : 'TEST LICENCE (fixture): free'],
            ['source', 'valueString', 'Spiegel test fixture'],
            ['redistributable', 'valueBoolean', true],
            ['nonCommercialOnly', 'valueBoolean', restricted],
            ['modificationAllowed', 'valueBoolean', true],
            ['requiresAcknowledgement', 'valueBoolean', restricted],
            ['showCopyrightOnForm', 'valueBoolean', false],
          ]),
          ext('translation', [
            ['lang', 'valueCode', 'en'],
            ['status', 'valueCode', 'original'],
            ['source', 'valueString', 'Spiegel test fixture'],
          ]),
          ...(dutch
            ? [
                ext('translation', [
                  ['lang', 'valueCode', 'nl'],
                  ['status', 'valueCode', 'verified'],
                  ['source', 'valueString', 'TEST FIXTURE: test text, not a real translation'],
                ]),
              ]
            : []),
          {
            url: 'scale',
            extension: [
              { url: 'id', valueId: 'total' },
              { url: 'method', valueCode: 'sum' },
              ...items.map((it) => ({ url: 'item', valueString: it.linkId })),
              { url: 'itemMin', valueDecimal: 0 },
              { url: 'itemMax', valueDecimal: 2 },
              { url: 'direction', valueCode: 'higher-is-worse' },
            ],
          },
        ],
      },
    ],
    item: items,
  };
}
