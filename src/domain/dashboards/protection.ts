import { periodContains, periodKey, periodsFor, type Period } from './periods.ts';

/**
 * Small-group protection for the manager dashboards. A figure describes a group: the episodes of one
 * filter (team × period × modality, within one instrument and one family of figures). It is shown
 * only when
 *   1. the group has at least `minima.therapists` therapists and `minima.episodes` episodes, and
 *   2. no other requestable group that strictly contains it (as data, not only as a filter) and is
 *      itself shown differs from it by fewer than the minima: otherwise subtracting the two figures
 *      would describe a small group (secondary suppression against differencing).
 * Groups are decided from the most general down (a strict superset is decided first), so the
 * organisation's own figure wins over a team's figure that would give it away. Pure: the store
 * feeds it atoms and uses only its verdicts.
 */

export interface Atom {
  therapist: string;
  quarter: string;
  modality: string;
  /** Episodes behind this atom (> 0). */
  episodes: number;
}

export interface GroupFilter {
  /** null: the whole organisation. */
  team: string | null;
  period: Period;
  /** null: every modality. */
  modality: string | null;
}

export interface Minima {
  therapists: number;
  episodes: number;
}

export const DEFAULT_MINIMA: Minima = { therapists: 5, episodes: 10 };

export type Verdict =
  | { shown: true; therapists: number; episodes: number }
  | { shown: false; reason: 'too_few_therapists' | 'too_few_episodes' | 'differencing' };

/** Bitset over atom indexes. */
type Bits = Uint32Array;

export function filterKey(f: GroupFilter): string {
  return `${f.team ?? '*'}|${periodKey(f.period)}|${f.modality ?? '*'}`;
}

export class Protector {
  private readonly atoms: Atom[];
  private readonly therapistIndex: number[];
  private readonly therapistCount: number;
  private readonly words: number;
  private readonly lattice: GroupFilter[];
  private readonly bits = new Map<string, Bits>();
  private readonly verdicts = new Map<string, Verdict>();

  constructor(
    atoms: Atom[],
    private readonly teams: ReadonlyMap<string, ReadonlySet<string>>,
    readonly minima: Minima = DEFAULT_MINIMA,
  ) {
    this.atoms = atoms.filter((a) => a.episodes > 0);
    const ids = new Map<string, number>();
    this.therapistIndex = this.atoms.map((a) => {
      if (!ids.has(a.therapist)) ids.set(a.therapist, ids.size);
      return ids.get(a.therapist)!;
    });
    this.therapistCount = ids.size;
    this.words = Math.ceil(this.atoms.length / 32);
    const modalities = [null, ...new Set(this.atoms.map((a) => a.modality))];
    const teamIds = [null, ...teams.keys()];
    this.lattice = [];
    for (const period of periodsFor(this.atoms.map((a) => a.quarter)))
      for (const team of teamIds) for (const modality of modalities) this.lattice.push({ team, period, modality });
  }

  /** The requestable groups with data (every team, period and modality, and "all" of each). */
  groups(): readonly GroupFilter[] {
    return this.lattice;
  }

  /** Therapists and episodes behind a group, whether or not it may be shown (for tests and the store). */
  size(filter: GroupFilter): { therapists: number; episodes: number } {
    return this.count(this.bitsOf(filter));
  }

  decide(filter: GroupFilter): Verdict {
    const key = filterKey(filter);
    const known = this.verdicts.get(key);
    if (known) return known;
    const verdict = this.judge(filter);
    this.verdicts.set(key, verdict);
    return verdict;
  }

  private judge(filter: GroupFilter): Verdict {
    const own = this.bitsOf(filter);
    const size = this.count(own);
    if (size.therapists < this.minima.therapists) return { shown: false, reason: 'too_few_therapists' };
    if (size.episodes < this.minima.episodes) return { shown: false, reason: 'too_few_episodes' };
    for (const other of this.lattice) {
      const theirs = this.bitsOf(other);
      if (!strictSubset(own, theirs)) continue;
      // A shown superset decided first: the difference of the two figures must not describe a small group.
      if (!this.decide(other).shown) continue;
      const diff = this.count(andNot(theirs, own));
      if (diff.therapists < this.minima.therapists || diff.episodes < this.minima.episodes)
        return { shown: false, reason: 'differencing' };
    }
    return { shown: true, ...size };
  }

  private bitsOf(filter: GroupFilter): Bits {
    const key = filterKey(filter);
    const cached = this.bits.get(key);
    if (cached) return cached;
    const members = filter.team === null ? null : this.teams.get(filter.team);
    const bits = new Uint32Array(this.words);
    this.atoms.forEach((a, i) => {
      if (members !== null && !members?.has(a.therapist)) return;
      if (filter.modality !== null && a.modality !== filter.modality) return;
      if (!periodContains(filter.period, a.quarter)) return;
      bits[i >>> 5] |= 1 << (i & 31);
    });
    this.bits.set(key, bits);
    return bits;
  }

  private count(bits: Bits): { therapists: number; episodes: number } {
    const seen = new Uint8Array(this.therapistCount);
    let therapists = 0;
    let episodes = 0;
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w];
      while (word !== 0) {
        const bit = 31 - Math.clz32(word);
        word &= ~(1 << bit);
        const i = (w << 5) + bit;
        episodes += this.atoms[i].episodes;
        const t = this.therapistIndex[i];
        if (!seen[t]) {
          seen[t] = 1;
          therapists++;
        }
      }
    }
    return { therapists, episodes };
  }
}

function strictSubset(a: Bits, b: Bits): boolean {
  let proper = false;
  for (let i = 0; i < a.length; i++) {
    if ((a[i] & ~b[i]) !== 0) return false;
    if (a[i] !== b[i]) proper = true;
  }
  return proper;
}

function andNot(a: Bits, b: Bits): Bits {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & ~b[i];
  return out;
}
