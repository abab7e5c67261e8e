import { describe, expect, it } from 'vitest';
import { measuredFromSummary } from './measured.ts';
import type { EffectsSummary } from '../../domain/feedback/effects.ts';

const estimate = (therapistId: string, effect: number, episodes = 12) => ({
  therapistId,
  episodes,
  effect,
  condSd: 0.5,
  lower: effect - 1,
  upper: effect + 1,
  verdict: 'not_distinguishable' as const,
});

describe('measured effectiveness for the self-view', () => {
  const summary = {
    direction: 'higher-is-worse',
    fittedAt: '2026-11-01T00:00:00Z',
    estimates: [estimate('a', -2), estimate('b', 0), estimate('c', 1), estimate('d', 2, 4)],
  } as unknown as EffectsSummary;
  it('ranks lower adjusted end scores as more effective', () => {
    expect(measuredFromSummary(summary, 'a')?.percentile).toBe(87.5);
    expect(measuredFromSummary(summary, 'c')?.percentile).toBe(37.5);
  });
  it('gives nothing below the minimum of data', () => {
    expect(measuredFromSummary(summary, 'd')).toBeNull();
    expect(measuredFromSummary(null, 'a')).toBeNull();
  });
});
