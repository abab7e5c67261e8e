import type { InstrumentRegistry } from '../../store/instrument-registry.ts';
import { allianceScale, outcomeScale } from '../../domain/feedback/instrument-roles.ts';
import { expectedAt, type ExpectedCurve } from '../../domain/feedback/expected.ts';
import { reliableChangeParameters } from '../../domain/instruments/reliable-change.ts';
import type { ScaleSpec } from '../../domain/instruments/scoring-spec.ts';
import { groupBy } from '../../store/feedback.ts';
import { participantColour } from '../../web/charts/colours.ts';

/** The chart-ready view of an episode: one entry per outcome instrument, plus the alliance. Pure. */
export interface OutcomeView {
  instrumentId: string;
  scale: ScaleSpec;
  yMax: number;
  cutoff: number | null;
  reliableBand: { lower: number; upper: number } | null;
  series: ParticipantSeries[];
  /** The first participant's expected course (kept for callers that draw one band). */
  expected: Expected[];
  curve: ExpectedCurve | null;
  alertMarkers: Array<{ session: number; value: number; label: string }>;
}

type Expected = { session: number; mean: number; lower: number; upper: number };

/** One participant's scores, drawn against their own expected course and reliable-change band. */
export interface ParticipantSeries {
  participantId: string;
  label: string;
  /** The participant's colour, the same in every chart of the episode. */
  colour: string;
  points: Array<{ session: number; value: number }>;
  expected: Expected[];
  reliableBand: { lower: number; upper: number } | null;
  alertMarkers: Array<{ session: number; value: number; label: string }>;
}

export interface AllianceView {
  instrumentId: string;
  lowThreshold: number;
  max: number;
  series: Array<{ label: string; colour?: string; points: Array<{ session: number; value: number }> }>;
}

interface Point {
  participant_id: string;
  instrument_id: string;
  scale_id: string;
  session_number: number;
  value: number | null;
}
interface AlertRow {
  rule: string;
  reason: unknown;
  acknowledged_at: Date | null;
}

export function buildEpisodeView(
  points: readonly Point[],
  alerts: readonly AlertRow[],
  participants: ReadonlyArray<{ id: string; label: string }>,
  registry: InstrumentRegistry,
  curves: Map<string, ExpectedCurve | null>,
): { outcomes: OutcomeView[]; alliance: AllianceView[] } {
  const outcomes: OutcomeView[] = [];
  const alliance: AllianceView[] = [];
  const labelOf = new Map(participants.map((p) => [p.id, p.label]));
  const colourOf = new Map(participants.map((p, i) => [p.id, participantColour(i)]));
  const order = new Map(participants.map((p, i) => [p.id, i]));
  for (const [instrumentId, list] of groupBy(points, (p) => p.instrument_id)) {
    if (!registry.has(instrumentId)) continue;
    const scorer = registry.get(instrumentId);
    const allianceInfo = allianceScale(scorer);
    if (allianceInfo) {
      const scales = scorer.spec!.scales.filter(
        (s) => s.id === allianceInfo.scale.id || s.subscaleOf === allianceInfo.scale.id,
      );
      // One participant: the total and its subscales. Several: every participant's total, in their colour.
      const multi = participants.length > 1;
      alliance.push({
        instrumentId,
        lowThreshold: allianceInfo.lowThreshold,
        max: allianceInfo.scale.itemMax ?? 10,
        series: multi
          ? participants.map((p) => ({
              label: p.label,
              colour: colourOf.get(p.id),
              points: list
                .filter((x) => x.scale_id === allianceInfo.scale.id && x.value !== null && x.participant_id === p.id)
                .map((x) => ({ session: x.session_number, value: x.value! })),
            }))
          : scales.map((scale) => ({
              label: scale.name.nl ?? scale.id,
              points: list
                .filter((p) => p.scale_id === scale.id && p.value !== null && p.participant_id === participants[0]?.id)
                .map((p) => ({ session: p.session_number, value: p.value! })),
            })),
      });
      continue;
    }
    const scale = outcomeScale(scorer);
    if (!scale) continue;
    const params = reliableChangeParameters(scale);
    const curve = curves.get(instrumentId) ?? null;
    const half = params.minimumReliableChange ?? params.publishedReliableChange?.value ?? null;
    const yMax =
      scale.itemMax !== null
        ? scale.itemMax * scale.items.length * scale.multiplier
        : Math.max(...list.map((p) => p.value ?? 0));
    const lastSession = Math.max(1, ...list.map((p) => p.session_number));
    const markersOf = (participantId: string, points: Array<{ session: number; value: number }>) =>
      alerts
        .filter((a) => {
          const reason = a.reason as { instrumentId?: string; participantId?: string } | null;
          return reason?.instrumentId === instrumentId && reason.participantId === participantId;
        })
        .flatMap((a) => {
          const point = points.find((p) => p.session === (a.reason as { sessionNumber: number }).sessionNumber);
          return point ? [{ session: point.session, value: point.value, label: a.rule }] : [];
        });
    // Each participant against their own expected course, from their own intake score.
    const series = [
      ...groupBy(
        list.filter((p) => p.scale_id === scale.id && p.value !== null),
        (p) => p.participant_id,
      ),
    ]
      .sort(([a], [b]) => (order.get(a) ?? 99) - (order.get(b) ?? 99))
      .map(([participantId, ps]): ParticipantSeries => {
        const points = ps.map((p) => ({ session: p.session_number, value: p.value! }));
        const intake = points[0].value;
        return {
          participantId,
          label: labelOf.get(participantId) ?? participantId,
          colour: colourOf.get(participantId) ?? participantColour(0),
          points,
          expected: curve
            ? Array.from({ length: Math.max(lastSession, 12) }, (_, i) => expectedAt(curve, intake, i + 1))
            : [],
          reliableBand:
            half !== null ? { lower: Math.max(0, intake - half), upper: Math.min(yMax, intake + half) } : null,
          alertMarkers: markersOf(participantId, points),
        };
      });
    outcomes.push({
      instrumentId,
      scale,
      yMax,
      cutoff: params.cutoff?.value ?? null,
      reliableBand: series[0]?.reliableBand ?? null,
      series,
      expected: series[0]?.expected ?? [],
      curve,
      alertMarkers: series.flatMap((s) => s.alertMarkers),
    });
  }
  return { outcomes, alliance };
}

/**
 * The progress charts of one outcome: one chart for a single participant; for couples, families and
 * groups one chart per participant, each with their own band and in their own colour, so no one is
 * judged against another participant's intake.
 */
export function outcomeCharts(o: OutcomeView, title: string) {
  const one = (s: ParticipantSeries | undefined, chartTitle: string) => ({
    participant: s ?? null,
    title: chartTitle,
    chart: {
      yMin: 0,
      yMax: o.yMax,
      series: s ? [{ label: s.label, colour: s.colour, points: s.points }] : [],
      cutoff: o.cutoff,
      reliableBand: s?.reliableBand ?? null,
      expected: s?.expected ?? [],
      alerts: s?.alertMarkers ?? [],
    },
  });
  if (o.series.length <= 1) return [one(o.series[0], title)];
  return o.series.map((s) => one(s, `${title} · ${s.label}`));
}
