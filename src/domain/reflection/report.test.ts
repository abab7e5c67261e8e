import { describe, expect, it } from 'vitest';
import { groupsFromQuestionnaire, itemsFromQuestionnaire } from './questionnaire-items.ts';
import { buildReport, type CheckSnapshot } from './report.ts';
import { selfCheckModules } from './self-check.ts';
import { shipped } from './testing.ts';

const tears = shipped('spiegel-tears');
const brs = shipped('brs');
const modules = selfCheckModules({
  tears: { instrumentId: 'spiegel-tears', groups: groupsFromQuestionnaire(tears.questionnaire, tears.spec) },
  brs: { instrumentId: 'brs', items: itemsFromQuestionnaire(brs.questionnaire, brs.spec) },
});

function snap(
  id: string,
  day: string,
  answers: CheckSnapshot['answers'],
  proneness: number | null,
  brsScore: number | null,
): CheckSnapshot {
  return {
    id,
    startedAt: new Date(`${day}T09:00:00Z`),
    completedAt: new Date(`${day}T10:00:00Z`),
    answers,
    tears: { cryingProneness: proneness, clientCryingAttitude: null },
    brs: brsScore,
  };
}

describe('self-check report', () => {
  const previous = snap(
    'a',
    '2025-06-01',
    {
      'motivation.1B.now': 5,
      'motivation.2G.now': 2,
      'intention.1': 'Meer intervisie',
      'selfview.percentile': 85,
      'occasion-1': true,
    },
    4,
    3.2,
  );
  const current = snap(
    'b',
    '2026-01-10',
    {
      'motivation.1B.then': 5,
      'motivation.1B.now': 3,
      'motivation.1B.note': 'Minder nieuwsgierig door werkdruk',
      'motivation.2G.now': 4,
      'motivation.spark': 'Een cliënt die weer ging studeren',
      'intention.1': 'Elke week 30 minuten oefenen',
      'intention.3': 'Supervisie plannen',
      'selfview.percentile': 75,
      'selfview.doubt': 'Help ik cliënt X echt?',
      'occasion-1': true,
      'maintenance.supervision': 6,
      'life.events': 'bereavement',
    },
    6,
    4.5,
  );

  const model = buildReport({
    current,
    previous,
    modules,
    gender: 'female',
    brsInstalled: true,
    measured: null,
    loggedPracticeMinutes: 240,
  });

  it('puts the intentions first, with last time’s beside them', () => {
    expect(model.intentions).toEqual(['Elke week 30 minuten oefenen', 'Supervisie plannen']);
    expect(model.previousIntentions).toEqual(['Meer intervisie']);
    expect(model.previousCompletedAt).toEqual(previous.completedAt);
  });

  it('compares with the norms only where a norm exists, and shows the change', () => {
    expect(model.emotions.comparisons.map((c) => c.scale.id)).toEqual(['cryingProneness']);
    expect(model.emotions.changes).toEqual([
      { label: model.emotions.comparisons[0].scale.label, current: 6, previous: 4 },
    ]);
    const line = model.emotions.lines.find((l) => l.item.id === 'occasion-1')!;
    expect(line.reference?.total?.pct).toBe(81.2);
    expect(line.answer).toBe(true);
    expect(line.previous).toBe(true);
    expect(model.emotions.lines.find((l) => l.item.id === 'in-session-lump')!.referenceMean).toBe(13);
  });

  it('reports motivation shifts within and between check-ups', () => {
    const b = model.motivation.shifts.find((s) => s.theme.code === '1B')!;
    expect(b).toMatchObject({ then: 5, now: 3, sinceStart: -2, previousNow: 5, sincePrevious: -2 });
    expect(model.motivation.notable.map((s) => s.theme.code)).toEqual(['1B', '2G']);
    expect(model.motivation.notes['1B']).toContain('werkdruk');
    expect(model.motivation.spark).toContain('studeren');
  });

  it('bands the BRS and keeps the previous score', () => {
    expect(model.resilience.brs).toEqual({ score: 4.5, band: 'high' });
    expect(model.resilience.brsPrevious).toBe(3.2);
    expect(model.resilience.maintenance.hours['maintenance.supervision']).toBe(6);
    expect(model.resilience.maintenance.events).toEqual(['bereavement']);
    expect(model.resilience.loggedPracticeMinutes).toBe(240);
  });

  it('says the measured mirror is not available yet, and uses it when given', () => {
    expect(model.selfView.comparison).toEqual({ status: 'not-available', selfPercentile: 75 });
    expect(model.selfView.previousPercentile).toBe(85);
    expect(model.selfView.reflections.map((r) => r.item.id)).toEqual(['selfview.doubt']);
    const measured = { percentile: 40, method: { nl: 'model', en: 'model' } };
    const withMirror = buildReport({
      current,
      previous: null,
      modules,
      gender: null,
      brsInstalled: true,
      measured,
      loggedPracticeMinutes: null,
    });
    expect(withMirror.selfView.comparison).toEqual({
      status: 'available',
      selfPercentile: 75,
      measured,
      difference: 35,
    });
    expect(withMirror.motivation.notable).toEqual([]);
  });

  it('lists each source once', () => {
    const nl = model.sources.map((s) => s.nl);
    expect(new Set(nl).size).toBe(nl.length);
    expect(nl.some((s) => s.includes('Smith'))).toBe(true);
  });
});
