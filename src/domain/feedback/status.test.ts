import { describe, expect, it } from 'vitest';
import { episodeStatus } from './status.ts';
import type { ReliableChangeParameters } from '../instruments/reliable-change.ts';

const params: ReliableChangeParameters = {
  reliability: null,
  sd: null,
  sDiff: null,
  minimumReliableChange: null,
  publishedReliableChange: { value: 6, source: 'IAPT' },
  cutoff: { value: 10, method: 'published', source: 'Kroenke' },
  clinicalNorm: null,
  nonClinicalNorm: null,
  direction: 'higher-is-worse',
};
const band = { session: 5, mean: 11, lower: 7, upper: 15, method: 'mixed-model' };
const alliance = { latest: 8, earlierMean: 8, lowThreshold: 6, dropThreshold: 1.5 };

describe('episodeStatus', () => {
  it.each([
    [{ outcomes: [{ intake: 16, latest: 12, params, expected: band }], alliance, latestRisk: true }, 'risk'],
    [{ outcomes: [{ intake: 8, latest: 15, params, expected: band }], alliance, latestRisk: false }, 'deteriorated'],
    [{ outcomes: [{ intake: 18, latest: 17, params, expected: band }], alliance, latestRisk: false }, 'not_on_track'],
    [
      {
        outcomes: [{ intake: 16, latest: 12, params, expected: band }],
        alliance: { ...alliance, latest: 5 },
        latestRisk: false,
      },
      'alliance_concern',
    ],
    [
      {
        outcomes: [{ intake: 16, latest: 12, params, expected: band }],
        alliance: { ...alliance, latest: 6.2, earlierMean: 8.5 },
        latestRisk: false,
      },
      'alliance_concern',
    ],
    [{ outcomes: [{ intake: 16, latest: 8, params, expected: band }], alliance, latestRisk: false }, 'recovered'],
    [{ outcomes: [{ intake: 16, latest: 12, params, expected: band }], alliance, latestRisk: false }, 'on_track'],
    [{ outcomes: [], alliance: null, latestRisk: false }, 'no_data'],
  ] as const)('%#: %s', (input, expected) => {
    expect(episodeStatus(input as unknown as Parameters<typeof episodeStatus>[0])).toBe(expected);
  });
});
