import type { InstrumentRegistry } from '../instrument-registry.ts';
import { allianceScale, outcomeScale } from '../../domain/feedback/instrument-roles.ts';
import { expectedAt, type ExpectedCurve } from '../../domain/feedback/expected.ts';
import { reliableChangeParameters } from '../../domain/instruments/reliable-change.ts';
import type { ScaleSpec } from '../../domain/instruments/scoring-spec.ts';
import { groupBy } from '../../store/feedback.ts';

/** The chart-ready view of an episode: one entry per outcome instrument, plus the alliance. Pure. */
export interface OutcomeView {
  instrumentId: string;
  scale: ScaleSpec;
  yMax: number;
  cutoff: number | null;
  reliableBand: { lower: number; upper: number } | null;
  series: Array<{ participantId: string; label: string; points: Array<{ session: number; value: number }> }>;
  expected: Array<{ session: number; mean: number; lower: number; upper: number }>;
  curve: ExpectedCurve | null;
  alertMarkers: Array<{ session: number; value: number; label: string }>;
}

export interface AllianceView {
  instrumentId: string;
  lowThreshold: number;
  max: number;
  series: Array<{ label: string; points: Array<{ session: number; value: number }> }>;
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
  for (const [instrumentId, list] of groupBy(points, (p) => p.instrument_id)) {
    if (!registry.has(instrumentId)) continue;
    const scorer = registry.get(instrumentId);
    const allianceInfo = allianceScale(scorer);
    if (allianceInfo) {
      const scales = scorer.spec!.scales.filter(
        (s) => s.id === allianceInfo.scale.id || s.subscaleOf === allianceInfo.scale.id,
      );
      alliance.push({
        instrumentId,
        lowThreshold: allianceInfo.lowThreshold,
        max: allianceInfo.scale.itemMax ?? 10,
        series: scales.map((scale) => ({
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
    const series = [
      ...groupBy(
        list.filter((p) => p.scale_id === scale.id && p.value !== null),
        (p) => p.participant_id,
      ),
    ].map(([participantId, ps]) => ({
      participantId,
      label: labelOf.get(participantId) ?? participantId,
      points: ps.map((p) => ({ session: p.session_number, value: p.value! })),
    }));
    const first = series[0]?.points[0];
    const lastSession = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.session)));
    const curve = curves.get(instrumentId) ?? null;
    const half = params.minimumReliableChange ?? params.publishedReliableChange?.value ?? null;
    const yMax =
      scale.itemMax !== null
        ? scale.itemMax * scale.items.length * scale.multiplier
        : Math.max(...list.map((p) => p.value ?? 0));
    const expected =
      curve && first
        ? Array.from({ length: Math.max(lastSession, 12) }, (_, i) => expectedAt(curve, first.value, i + 1))
        : [];
    const markers = alerts
      .filter(
        (a) =>
          a.reason &&
          typeof a.reason === 'object' &&
          (a.reason as { instrumentId?: string }).instrumentId === instrumentId,
      )
      .flatMap((a) => {
        const reason = a.reason as { sessionNumber: number; participantId: string };
        const point = series
          .find((s) => s.participantId === reason.participantId)
          ?.points.find((p) => p.session === reason.sessionNumber);
        return point ? [{ session: point.session, value: point.value, label: a.rule }] : [];
      });
    outcomes.push({
      instrumentId,
      scale,
      yMax,
      cutoff: params.cutoff?.value ?? null,
      reliableBand:
        first && half !== null
          ? { lower: Math.max(0, first.value - half), upper: Math.min(yMax, first.value + half) }
          : null,
      series,
      expected,
      curve,
      alertMarkers: markers,
    });
  }
  return { outcomes, alliance };
}
