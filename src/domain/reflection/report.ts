import { motivationShifts, notableShifts, type ThemeShift } from './motivation.ts';
import { tearsComparisons, type ScaleComparison, type TearsScaleScores } from './norms.ts';
import { brsBand, maintenanceSummary, type BrsBand, type MaintenanceSummary } from './resilience.ts';
import { INTENTION_IDS, moduleItems, type ModuleDefinition } from './self-check.ts';
import { selfViewComparison, type MeasuredEffectiveness, type SelfViewComparison } from './self-view.ts';
import { FREQUENCY_MEANS, TEARS_REFERENCES, type ReferencePercent } from './tears.ts';
import type { Answers, AnswerValue, Gender, LocalText, SelfCheckItem } from './types.ts';

/**
 * The personal report of one completed check-up: the three intentions first, then per module what the
 * answers show, the comparisons that have evidence behind them (with their sources and limits), and
 * what changed since the previous check-up. The same model feeds the web page and the PDF.
 */

export interface CheckSnapshot {
  id: string;
  startedAt: Date;
  completedAt: Date | null;
  answers: Answers;
  tears: TearsScaleScores;
  /** BRS mean score by the instrument's rules; null when unanswered or not installed. */
  brs: number | null;
}

export interface ReportInput {
  current: CheckSnapshot;
  previous: CheckSnapshot | null;
  modules: ModuleDefinition[];
  gender: Gender;
  brsInstalled: boolean;
  /** The therapist-effects mirror, when it exists for this therapist. */
  measured: MeasuredEffectiveness | null;
  /** Minutes of deliberate practice logged in Spiegel since the previous check-up. */
  loggedPracticeMinutes: number | null;
}

export interface ItemLine {
  item: SelfCheckItem;
  answer: AnswerValue | undefined;
  previous: AnswerValue | undefined;
  reference: ReferencePercent | null;
  /** A mean from the study without a spread, for example "13 times a year on average". */
  referenceMean: number | null;
  /** The item's scale has a published norm (compared above, with z and percentile). */
  normed: boolean;
}

export interface ScaleChange {
  label: LocalText;
  current: number | null;
  previous: number | null;
}

export interface ReportModel {
  checkId: string;
  startedAt: Date;
  completedAt: Date | null;
  previousCompletedAt: Date | null;
  intentions: string[];
  previousIntentions: string[];
  emotions: { comparisons: ScaleComparison[]; changes: ScaleChange[]; lines: ItemLine[] };
  motivation: { shifts: ThemeShift[]; notable: ThemeShift[]; spark: string | null; notes: Record<string, string> };
  resilience: {
    brsInstalled: boolean;
    brs: { score: number; band: BrsBand } | null;
    brsPrevious: number | null;
    maintenance: MaintenanceSummary;
    maintenancePrevious: MaintenanceSummary | null;
    loggedPracticeMinutes: number | null;
  };
  selfView: {
    comparison: SelfViewComparison;
    previousPercentile: number | null;
    reflections: Array<{ item: SelfCheckItem; answer: string }>;
  };
  sources: LocalText[];
}

/** Items whose scale has a published norm: crying proneness and the table-3 attitude statements. */
const NORMED_ITEMS = new Set(['crying-proneness', ...Array.from({ length: 9 }, (_, i) => `attitude-${i + 1}`)]);

function str(answers: Answers, id: string): string | null {
  const value = answers[id];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

export function buildReport(input: ReportInput): ReportModel {
  const { current, previous, modules } = input;
  const byId = (id: ModuleDefinition['id']) => modules.find((m) => m.id === id)!;
  const cur = current.answers;
  const prev = previous?.answers ?? null;

  const lines: ItemLine[] = moduleItems(byId('emotions')).map((item) => ({
    item,
    answer: cur[item.id],
    previous: prev?.[item.id],
    reference: TEARS_REFERENCES[item.id] ?? null,
    referenceMean: FREQUENCY_MEANS[item.id] ?? null,
    normed: NORMED_ITEMS.has(item.id),
  }));
  const comparisons = tearsComparisons(current.tears, input.gender);
  const changes: ScaleChange[] = comparisons.map((c) => ({
    label: c.scale.label,
    current: c.score,
    previous: previous
      ? c.scale.id === 'cryingProneness'
        ? previous.tears.cryingProneness
        : previous.tears.clientCryingAttitude
      : null,
  }));

  const shifts = motivationShifts(cur, prev);
  const notes: Record<string, string> = {};
  for (const s of shifts) {
    const note = str(cur, `motivation.${s.theme.code}.note`);
    if (note) notes[s.theme.code] = note;
  }

  const selfViewItems = moduleItems(byId('selfview')).filter((i) => i.input.kind === 'text');
  const previousPercentile =
    prev && typeof prev['selfview.percentile'] === 'number' ? (prev['selfview.percentile'] as number) : null;

  return {
    checkId: current.id,
    startedAt: current.startedAt,
    completedAt: current.completedAt,
    previousCompletedAt: previous?.completedAt ?? null,
    intentions: INTENTION_IDS.map((id) => str(cur, id)).filter((v): v is string => v !== null),
    previousIntentions: prev ? INTENTION_IDS.map((id) => str(prev, id)).filter((v): v is string => v !== null) : [],
    emotions: { comparisons, changes, lines },
    motivation: { shifts, notable: notableShifts(shifts), spark: str(cur, 'motivation.spark'), notes },
    resilience: {
      brsInstalled: input.brsInstalled,
      brs: current.brs === null ? null : { score: current.brs, band: brsBand(current.brs) },
      brsPrevious: previous?.brs ?? null,
      maintenance: maintenanceSummary(cur),
      maintenancePrevious: prev ? maintenanceSummary(prev) : null,
      loggedPracticeMinutes: input.loggedPracticeMinutes,
    },
    selfView: {
      comparison: selfViewComparison(cur, input.measured),
      previousPercentile,
      reflections: selfViewItems
        .map((item) => ({ item, answer: str(cur, item.id) }))
        .filter((r): r is { item: SelfCheckItem; answer: string } => r.answer !== null),
    },
    sources: modules.flatMap((m) => m.sources).filter((s, i, all) => all.findIndex((o) => o.nl === s.nl) === i),
  };
}
