import { Random } from './random.ts';

/**
 * The generative model of the demo organisation (documented in docs/demo.md). Pure: it returns plain
 * data; src/store/demo turns that into rows. All people and numbers are synthetic.
 *
 * PHQ-9 total at session s (1-based) of client i with therapist j:
 *   y_is = y0_i + b_ij · (log(s+1) − log 2) + e_is,            e ~ N(0, 2.2²)
 *   b_ij = −3.0 − 0.15·(y0_i − 15.5) + u_j + v_i,               u_j ~ N(0, 0.55²), v_i ~ N(0, 1.3²)
 *   y0_i ~ N(15.5, 4.5²) clamped to [5, 27]; scores rounded and clamped to [0, 27].
 * The therapist term u_j gives a therapist share of about 5% of the variance of the last score.
 * Dropout: 1.5% per session, 4% when the client has not improved by 3 points after session 4.
 */

export const DEMO_SEED = 20_260_101;
export const DEMO_THERAPISTS = 24;
export const DEMO_EPISODES = 660;
export const DEMO_DAYS = 730;

export type DemoScenario =
  | 'on_track'
  | 'not_on_track'
  | 'deteriorated'
  | 'recovered'
  | 'alliance_concern'
  | 'risk'
  /** A family whose members move differently: the mother improves, the father worsens, the son is flat. */
  | 'family';

export interface DemoStaff {
  key: string;
  displayName: string;
  email: string;
  roles: Array<'admin' | 'therapist' | 'supervisor' | 'manager' | 'researcher'>;
  gender: 'female' | 'male';
  /** Therapist random effect on the slope (negative = more improvement); 0 for non-therapists. */
  effect: number;
}

export interface DemoMeasurement {
  session: number;
  dayOffset: number; // days after the demo window start
  phq9: number[]; // nine item answers 0–3
  alliance: number[]; // four item answers 0–10
}

export interface DemoEpisode {
  clientCode: string;
  therapistKey: string;
  modality: 'individual' | 'couple' | 'family' | 'group';
  participants: string[];
  startDay: number;
  status: 'active' | 'completed' | 'dropped';
  endDay: number | null;
  scenario: DemoScenario | null;
  /** Measurements per participant label. */
  measurements: Record<string, DemoMeasurement[]>;
}

export interface DemoOrganisation {
  staff: DemoStaff[];
  episodes: DemoEpisode[];
}

const FIRST = [
  'Anna',
  'Bram',
  'Carla',
  'Daan',
  'Eva',
  'Floor',
  'Gijs',
  'Hanna',
  'Ilse',
  'Joost',
  'Karin',
  'Lars',
  'Maaike',
  'Niels',
  'Olga',
  'Pieter',
  'Roos',
  'Sander',
  'Tess',
  'Umar',
  'Vera',
  'Wouter',
  'Yara',
  'Zeger',
  'Lotte',
  'Mila',
  'Ruben',
  'Sara',
  'Thijs',
  'Noor',
];
const LAST = [
  'de Vries',
  'Bakker',
  'Jansen',
  'Visser',
  'Smit',
  'Meijer',
  'de Boer',
  'Mulder',
  'de Groot',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'van Leeuwen',
  'Dekker',
  'Brouwer',
  'de Wit',
  'Dijkstra',
  'Smits',
  'de Graaf',
  'van der Meer',
  'Kok',
  'Jacobs',
  'de Haan',
  'Vermeulen',
  'van den Berg',
  'van Dijk',
  'Hoekstra',
  'Maas',
  'Verhoeven',
];
const FEMALE = new Set([
  'Anna',
  'Carla',
  'Eva',
  'Floor',
  'Hanna',
  'Ilse',
  'Karin',
  'Maaike',
  'Olga',
  'Roos',
  'Tess',
  'Vera',
  'Yara',
  'Lotte',
  'Mila',
  'Sara',
  'Noor',
]);

function slug(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .trim()
    .replace(/\s+/g, '.');
}

function staff(index: number, roles: DemoStaff['roles'], effect: number, emailLocal?: string): DemoStaff {
  const first = FIRST[index % FIRST.length];
  const displayName = `${first} ${LAST[index % LAST.length]}`;
  return {
    key: `s${index}`,
    displayName,
    email: `${emailLocal ?? slug(displayName)}@demo.spiegel.test`,
    roles,
    gender: FEMALE.has(first) ? 'female' : 'male',
    effect,
  };
}

/** Splits a PHQ-9 total into nine item answers; item 9 (index 8) is set separately for risk. */
function phq9Items(rng: Random, total: number, item9: number): number[] {
  const items = [0, 0, 0, 0, 0, 0, 0, 0, item9];
  let remaining = Math.max(0, total - item9);
  while (remaining > 0) {
    const i = rng.int(0, 7);
    if (items[i] < 3) {
      items[i]++;
      remaining--;
    } else if (items.slice(0, 8).every((v) => v === 3)) break;
  }
  return items;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

interface Course {
  intake: number;
  slope: number;
  sessions: number;
  allianceMean: number;
  ruptureAt: number | null;
  riskAt: number | null;
}

function simulateParticipant(
  rng: Random,
  course: Course,
  startDay: number,
  today: number,
): { measurements: DemoMeasurement[]; dropped: boolean } {
  const measurements: DemoMeasurement[] = [];
  let day = startDay;
  let dropped = false;
  for (let s = 1; s <= course.sessions && day <= today; s++) {
    const mean = course.intake + course.slope * (Math.log(s + 1) - Math.log(2));
    const total = Math.round(clamp(mean + rng.normal(0, 2.2) * (s === 1 ? 0 : 1), 0, 27));
    const riskNow = course.riskAt === s;
    const item9 = riskNow ? 2 : rng.chance(clamp(0.005 + 0.006 * (total - 12), 0, 0.12)) ? 1 : 0;
    const rupture = course.ruptureAt !== null && s >= course.ruptureAt && s < course.ruptureAt + 2;
    const allianceLevel = course.allianceMean - (rupture ? 3.5 : 0);
    const alliance = [0, 1, 2, 3].map(() => Math.round(clamp(allianceLevel + rng.normal(0, 0.7), 0, 10)));
    measurements.push({ session: s, dayOffset: day, phq9: phq9Items(rng, total, Math.min(item9, total)), alliance });
    const notImproving = s >= 4 && total > course.intake - 3;
    if (course.riskAt === null && s < course.sessions && rng.chance(notImproving ? 0.04 : 0.015)) {
      dropped = true;
      break;
    }
    day += 7 + rng.int(-1, 3);
  }
  return { measurements, dropped };
}

/** Builds the whole demo organisation. `today` is the day offset of "now" within the window. */
export function generateDemoOrganisation(seed = DEMO_SEED, today = DEMO_DAYS): DemoOrganisation {
  const rng = new Random(seed);
  const people: DemoStaff[] = [];
  for (let i = 0; i < DEMO_THERAPISTS; i++) {
    const roles: DemoStaff['roles'] = i === 3 || i === 9 ? ['therapist', 'supervisor'] : ['therapist'];
    people.push(staff(i, roles, rng.normal(0, 0.55), i === 0 ? 'therapeut' : undefined));
  }
  people.push(staff(24, ['supervisor'], 0, 'supervisor'));
  people.push(staff(25, ['manager'], 0, 'manager'));
  people.push(staff(26, ['admin'], 0, 'beheerder'));
  people.push(staff(27, ['researcher'], 0, 'onderzoeker'));
  const therapists = people.filter((p) => p.roles.includes('therapist'));

  const episodes: DemoEpisode[] = [];
  // The designed family episode: each member starts elsewhere and moves their own way.
  const FAMILY_COURSES = {
    moeder: { intake: 20, slope: -5 },
    vader: { intake: 11, slope: 3.5 },
    zoon: { intake: 15, slope: 0.2 },
  };
  const scenarios: DemoScenario[] = [
    'on_track',
    'not_on_track',
    'deteriorated',
    'recovered',
    'alliance_concern',
    'risk',
    'on_track',
    'not_on_track',
    'family',
  ];
  for (let e = 0; e < DEMO_EPISODES; e++) {
    // The first therapist (the demo login) gets one designed active episode per caseload status.
    const designed = e < scenarios.length ? scenarios[e] : null;
    const therapist = designed ? therapists[0] : therapists[e % therapists.length];
    const modalityRoll = rng.next();
    const modality =
      designed === 'family'
        ? 'family'
        : designed
          ? 'individual'
          : modalityRoll < 0.88
            ? 'individual'
            : modalityRoll < 0.93
              ? 'couple'
              : modalityRoll < 0.97
                ? 'family'
                : 'group';
    const participants =
      modality === 'individual'
        ? ['client']
        : modality === 'couple'
          ? ['partner A', 'partner B']
          : designed === 'family'
            ? ['moeder', 'vader', 'zoon']
            : modality === 'family'
              ? ['ouder', 'kind 1', 'kind 2']
              : ['deelnemer 1', 'deelnemer 2', 'deelnemer 3', 'deelnemer 4'];
    const startDay = designed ? today - rng.int(42, 70) : rng.int(0, today - 7);
    const measurements: Record<string, DemoMeasurement[]> = {};
    let dropped = false;
    let lastDay = startDay;
    let plannedSessions = rng.int(6, 22);
    for (const label of participants) {
      const member = FAMILY_COURSES[label as keyof typeof FAMILY_COURSES];
      const intake =
        designed === 'family' && member
          ? member.intake
          : designed === 'recovered'
            ? 16
            : designed === 'deteriorated'
              ? 12
              : designed === 'not_on_track'
                ? 19
                : clamp(rng.normal(15.5, 4.5), 5, 27);
      let slope = -3.0 - 0.15 * (intake - 15.5) + therapist.effect + rng.normal(0, 1.3);
      if (designed === 'deteriorated') slope = 4.5;
      if (designed === 'not_on_track') slope = 0.2;
      if (designed === 'recovered') slope = -7.5;
      if (designed === 'on_track' || designed === 'alliance_concern' || designed === 'risk') slope = -4;
      if (designed === 'family' && member) slope = member.slope;
      if (designed) plannedSessions = 40;
      const course: Course = {
        intake,
        slope,
        sessions: plannedSessions,
        allianceMean: clamp(rng.normal(8.1, 0.9), 5.5, 10),
        ruptureAt: designed === 'alliance_concern' ? null : !designed && rng.chance(0.1) ? rng.int(2, 8) : null,
        riskAt: designed === 'risk' ? 99 : null,
      };
      if (designed === 'alliance_concern') course.allianceMean = 8.5;
      const result = simulateParticipant(rng, course, startDay, today);
      if (designed) result.dropped = false;
      measurements[label] = result.measurements;
      dropped ||= result.dropped;
      lastDay = Math.max(lastDay, result.measurements.at(-1)?.dayOffset ?? startDay);
    }
    if (designed === 'risk') {
      const last = measurements.client.at(-1)!;
      last.phq9[8] = 2;
    }
    if (designed === 'alliance_concern') {
      const list = measurements.client;
      for (const m of list.slice(-2)) m.alliance = m.alliance.map((v) => Math.max(0, v - 5));
    }
    const finished =
      !designed && (dropped || Object.values(measurements)[0].length >= plannedSessions) && lastDay < today - 14;
    episodes.push({
      clientCode: `C-${String(1001 + e)}`,
      therapistKey: therapist.key,
      modality,
      participants,
      startDay,
      status: finished ? (dropped ? 'dropped' : 'completed') : 'active',
      endDay: finished ? lastDay : null,
      scenario: designed,
      measurements,
    });
  }
  return { staff: people, episodes };
}
