import { describe, expect, it } from 'vitest';
import type { ExpectedCurve } from '../../domain/feedback/expected.ts';
import { participantColour } from '../../web/charts/colours.ts';
import { shippedInstruments } from '../../store/instrument-registry.ts';
import { buildEpisodeView, outcomeCharts } from './episode-view.ts';

const curve = {
  method: 'mixed-model',
  instrumentId: 'phq9',
  scaleId: 'total',
  beta: [2, -3, 0.9, -0.1],
  covariances: {
    patient: [
      [4, -0.5],
      [-0.5, 1],
    ],
    therapist: 0.3,
    residual: 5,
  },
  vcov: [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ],
  coverage: 0.9,
  fit: { criterion: 0, converged: true, iterations: 1, icc: 0.05, sigma: 2, varcomp: [] },
  fittedAt: '2026-01-01',
  dataWindow: { from: '2024-01-01', to: '2026-01-01', episodes: 500, measurements: 6000, therapists: 24 },
} as unknown as ExpectedCurve;

const family = [
  { id: 'p-child', label: 'Zoon' },
  { id: 'p-mother', label: 'Moeder' },
  { id: 'p-father', label: 'Vader' },
];
const point = (
  participant_id: string,
  instrument_id: string,
  scale_id: string,
  session_number: number,
  value: number,
) => ({
  participant_id,
  instrument_id,
  scale_id,
  session_number,
  value,
});

describe('episode view of a family', () => {
  const registry = shippedInstruments();
  const points = [
    point('p-mother', 'phq9', 'total', 1, 20),
    point('p-child', 'phq9', 'total', 1, 8),
    point('p-father', 'phq9', 'total', 1, 14),
    point('p-mother', 'phq9', 'total', 2, 18),
    point('p-child', 'phq9', 'total', 2, 9),
    point('p-child', 'spiegel-alliance', 'alliance', 1, 8),
    point('p-mother', 'spiegel-alliance', 'alliance', 1, 6),
    point('p-father', 'spiegel-alliance', 'alliance', 1, 7),
  ];
  const alerts = [
    {
      rule: 'risk',
      acknowledged_at: null,
      reason: { instrumentId: 'phq9', participantId: 'p-mother', sessionNumber: 2 },
    },
  ];
  const view = buildEpisodeView(points, alerts, family, registry, new Map([['phq9', curve]]));
  const phq9 = view.outcomes.find((o) => o.instrumentId === 'phq9')!;

  it('draws every participant against their own expected course from their own intake', () => {
    expect(phq9.series.map((s) => s.label)).toEqual(['Zoon', 'Moeder', 'Vader']); // entry order
    const at3 = phq9.series.map((s) => s.expected.find((e) => e.session === 3)!.mean);
    expect(new Set(at3).size).toBe(3);
    expect(at3[1]).toBeGreaterThan(at3[2]);
    expect(at3[2]).toBeGreaterThan(at3[0]); // higher intake, higher expected score
    expect(phq9.series.map((s) => s.reliableBand!.lower)).toEqual([2, 14, 8]); // intake − 6 (published PHQ-9 RC)
  });

  it('gives each participant one colour in every chart and puts alert markers on the right person', () => {
    expect(phq9.series.map((s) => s.colour)).toEqual([0, 1, 2].map(participantColour));
    const alliance = view.alliance[0];
    expect(alliance.series.map((s) => [s.label, s.colour, s.points.length])).toEqual([
      ['Zoon', participantColour(0), 1],
      ['Moeder', participantColour(1), 1],
      ['Vader', participantColour(2), 1],
    ]);
    const charts = outcomeCharts(phq9, 'PHQ-9');
    expect(charts.map((c) => c.title)).toEqual(['PHQ-9 · Zoon', 'PHQ-9 · Moeder', 'PHQ-9 · Vader']);
    expect(charts.map((c) => c.chart.alerts.length)).toEqual([0, 1, 0]);
  });
});
