import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePeriod, periodContains } from './periods.ts';
import { DEFAULT_MINIMA, Protector, type Atom, type GroupFilter } from './protection.ts';

const QUARTERS = ['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3'];
const MODALITIES = ['individual', 'couple', 'family'];

/** A random organisation: therapists, teams (overlapping, possibly nested or empty) and their atoms. */
const organisation = fc.integer({ min: 1, max: 14 }).chain((therapists) =>
  fc.record({
    therapists: fc.constant(therapists),
    teams: fc.array(fc.subarray([...Array(therapists).keys()]), { maxLength: 4 }),
    atoms: fc.array(
      fc.record({
        therapist: fc.integer({ min: 0, max: therapists - 1 }),
        quarter: fc.constantFrom(...QUARTERS),
        modality: fc.constantFrom(...MODALITIES),
        episodes: fc.integer({ min: 1, max: 7 }),
      }),
      { maxLength: 80 },
    ),
    minima: fc.record({ therapists: fc.integer({ min: 5, max: 7 }), episodes: fc.integer({ min: 10, max: 14 }) }),
  }),
);

function build(org: {
  teams: number[][];
  atoms: Array<{ therapist: number; quarter: string; modality: string; episodes: number }>;
  minima: { therapists: number; episodes: number };
}) {
  // Atoms may repeat a key: merged, as the store's GROUP BY would.
  const merged = new Map<string, Atom>();
  for (const a of org.atoms) {
    const key = `${a.therapist}|${a.quarter}|${a.modality}`;
    const prev = merged.get(key);
    merged.set(key, {
      therapist: `t${a.therapist}`,
      quarter: a.quarter,
      modality: a.modality,
      episodes: (prev?.episodes ?? 0) + a.episodes,
    });
  }
  const atoms = [...merged.values()];
  const teams = new Map(org.teams.map((members, i) => [`team${i}`, new Set(members.map((m) => `t${m}`))]));
  return { atoms, teams, protector: new Protector(atoms, teams, org.minima) };
}

/** The oracle: the atoms a filter selects, computed naively. */
function select(atoms: Atom[], teams: Map<string, Set<string>>, f: GroupFilter): Atom[] {
  return atoms.filter(
    (a) =>
      (f.team === null || (teams.get(f.team)?.has(a.therapist) ?? false)) &&
      (f.modality === null || a.modality === f.modality) &&
      periodContains(f.period, a.quarter),
  );
}
const therapistsOf = (atoms: Atom[]) => new Set(atoms.map((a) => a.therapist)).size;
const episodesOf = (atoms: Atom[]) => atoms.reduce((s, a) => s + a.episodes, 0);

/** Every filter a manager can send: each team (and unknown ones), each period form, each modality. */
function requestable(teams: Map<string, Set<string>>): GroupFilter[] {
  const periods = ['all', '2024', '2025', '2026', ...QUARTERS, '2025-Q4'].map((p) => parsePeriod(p)!);
  const out: GroupFilter[] = [];
  for (const team of [null, ...teams.keys(), 'no-such-team'])
    for (const period of periods)
      for (const modality of [null, ...MODALITIES, 'group']) out.push({ team, period, modality });
  return out;
}

describe('small-group protection (property-based)', () => {
  it('never shows a group, or the difference of two shown groups, of fewer than the minimum', () => {
    fc.assert(
      fc.property(organisation, (org) => {
        const { atoms, teams, protector } = build(org);
        const { minima } = org;
        const shown = requestable(teams)
          .filter((f) => protector.decide(f).shown)
          .map((f) => select(atoms, teams, f));
        for (const group of shown) {
          expect(therapistsOf(group)).toBeGreaterThanOrEqual(minima.therapists);
          expect(episodesOf(group)).toBeGreaterThanOrEqual(minima.episodes);
        }
        // Any two shown outputs where one contains the other: their difference is itself a large group.
        for (const x of shown)
          for (const y of shown) {
            const ySet = new Set(y);
            if (x.length >= y.length || !x.every((a) => ySet.has(a))) continue;
            const xSet = new Set(x);
            const diff = y.filter((a) => !xSet.has(a));
            expect(therapistsOf(diff)).toBeGreaterThanOrEqual(minima.therapists);
            expect(episodesOf(diff)).toBeGreaterThanOrEqual(minima.episodes);
          }
      }),
      { numRuns: 300 },
    );
  });

  it('shows the organisation as a whole whenever it is large enough (protection is not all-or-nothing)', () => {
    fc.assert(
      fc.property(organisation, (org) => {
        const { atoms, protector } = build(org);
        const all = { team: null, period: parsePeriod('all')!, modality: null };
        const large = therapistsOf(atoms) >= org.minima.therapists && episodesOf(atoms) >= org.minima.episodes;
        expect(protector.decide(all).shown).toBe(large);
      }),
      { numRuns: 200 },
    );
  });

  it('explains why: too few therapists, too few episodes, or differencing against a larger group', () => {
    const atoms: Atom[] = [];
    for (let t = 0; t < 8; t++)
      atoms.push({ therapist: `t${t}`, quarter: '2025-Q1', modality: 'individual', episodes: 3 });
    // Team A holds 6 of the 8 therapists: the organisation minus team A would be 2 therapists.
    const teams = new Map([
      ['A', new Set(['t0', 't1', 't2', 't3', 't4', 't5'])],
      ['B', new Set(['t0', 't1'])],
    ]);
    const p = new Protector(atoms, teams, DEFAULT_MINIMA);
    const q = parsePeriod('2025-Q1')!;
    expect(p.decide({ team: null, period: q, modality: null })).toEqual({ shown: true, therapists: 8, episodes: 24 });
    expect(p.decide({ team: 'A', period: q, modality: null })).toEqual({ shown: false, reason: 'differencing' });
    expect(p.decide({ team: 'B', period: q, modality: null })).toEqual({ shown: false, reason: 'too_few_therapists' });
    const few = new Protector(
      atoms.map((a) => ({ ...a, episodes: 1 })),
      new Map(),
      DEFAULT_MINIMA,
    );
    expect(few.decide({ team: null, period: q, modality: null })).toEqual({ shown: false, reason: 'too_few_episodes' });
  });
});
