import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { describeEachDialect, freshStore } from './testing.ts';
import { shippedInstruments } from './instrument-registry.ts';
import { alertDrafts, type AlertContext, type SeriesPoint } from './submit-alerts.ts';
import type { ScoredAnswer } from './submit.ts';

/** A scored PHQ-9 with every item answered with the same answer index (0–3). */
function phq9(answer: number): ScoredAnswer {
  const scorer = shippedInstruments().get('phq9');
  const item = scorer.questionnaire.item!.filter((i) => i.answerOption);
  const response = {
    resourceType: 'QuestionnaireResponse',
    status: 'completed',
    item: item.map((i) => ({ linkId: i.linkId, answer: [{ valueCoding: i.answerOption![answer].valueCoding }] })),
  };
  return { scorer, response, result: scorer.score(response) };
}

describeEachDialect('alert drafts on submit', (dialect) => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    store = await freshStore(dialect);
  });
  afterAll(() => store.drop());

  const context = (answers: ScoredAnswer[], history: SeriesPoint[], sessionNumber: number): AlertContext => ({
    orgId: randomUUID(),
    participantId: 'p1',
    participantLabel: 'cliënt',
    orgSettings: {},
    sessionNumber,
    responseIds: ['r1'],
    answers,
    history,
  });

  it('judges the new score against the earlier series (a rise of 18 points is a reliable deterioration)', async () => {
    const drafts = await alertDrafts(store.db, context([phq9(3)], [['phq9', 'total', 1, 9]], 2));
    expect(drafts.map((d) => d.rule)).toContain('reliable_deterioration');
  });

  it('raises nothing about change on a first measurement, and nothing when the score holds', async () => {
    expect((await alertDrafts(store.db, context([phq9(1)], [], 1))).map((d) => d.rule)).not.toContain(
      'reliable_deterioration',
    );
    const steady = await alertDrafts(store.db, context([phq9(1)], [['phq9', 'total', 1, 9]], 2));
    expect(steady.map((d) => d.rule)).not.toContain('reliable_deterioration');
  });

  it('ignores history of other instruments and scales', async () => {
    const drafts = await alertDrafts(
      store.db,
      context(
        [phq9(3)],
        [
          ['gad7', 'total', 1, 0],
          ['phq9', 'other-scale', 1, 0],
        ],
        2,
      ),
    );
    expect(drafts.map((d) => d.rule)).not.toContain('reliable_deterioration');
  });
});
