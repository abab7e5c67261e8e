import type { Kysely } from 'kysely';
import {
  evaluateAlerts,
  DEFAULT_RULE_SETTINGS,
  type AlertDraft,
  type OutcomeSeries,
} from '../../domain/feedback/alerts.ts';
import { expectedAt, ruleBasedExpectation, type ExpectedCurve } from '../../domain/feedback/expected.ts';
import { allianceScale, outcomeScale } from '../../domain/feedback/instrument-roles.ts';
import { reliableChangeParameters } from '../../domain/instruments/reliable-change.ts';
import type { InstrumentRegistry } from '../../domain/instruments/registry.ts';
import type { Database } from '../schema.ts';
import { groupBy } from '../feedback.ts';

/**
 * Replays the alert rules over the demo's history, session by session, as if each measurement had
 * just been submitted: the same pure rules as the submit transaction, without a transaction per row.
 * Alerts of finished episodes are marked as handled, so open alerts belong to the active caseload.
 */
export async function replayDemoAlerts(
  db: Kysely<Database>,
  orgId: string,
  registry: InstrumentRegistry,
  curves: Map<string, ExpectedCurve>,
): Promise<number> {
  const rows = await db
    .selectFrom('scores as s')
    .innerJoin('episodes as e', 'e.id', 's.episode_id')
    .innerJoin('participants as p', 'p.id', 's.participant_id')
    .select([
      's.response_id',
      's.episode_id',
      's.participant_id',
      'p.label',
      's.instrument_id',
      's.scale_id',
      's.session_number',
      's.value',
      's.risk',
      's.measured_at',
      'e.status',
      'e.therapist_id',
    ])
    .where('s.org_id', '=', orgId)
    .orderBy('s.participant_id')
    .orderBy('s.session_number')
    .execute();
  const out: Array<Record<string, unknown>> = [];
  for (const [, list] of groupBy(rows, (r) => r.participant_id)) {
    const sessions = [...new Set(list.map((r) => r.session_number))].sort((a, b) => a - b);
    for (const session of sessions) {
      const upTo = list.filter((r) => r.session_number <= session);
      const now = list.filter((r) => r.session_number === session);
      const outcomes: OutcomeSeries[] = [];
      let alliance = null;
      const risks = [];
      for (const [instrumentId, ps] of groupBy(upTo, (r) => r.instrument_id)) {
        const scorer = registry.get(instrumentId);
        const allianceInfo = allianceScale(scorer);
        const scale = allianceInfo?.scale ?? outcomeScale(scorer);
        if (!scale) continue;
        const points = ps
          .filter((p) => p.scale_id === scale.id && p.value !== null)
          .map((p) => ({ session: p.session_number, value: p.value! }));
        if (!points.length || points.at(-1)!.session !== session) continue;
        if (allianceInfo) {
          alliance = { instrumentId, lowThreshold: allianceInfo.lowThreshold, points };
          continue;
        }
        const curve = curves.get(instrumentId);
        const expected = curve
          ? expectedAt(curve, points[0].value, session)
          : ruleBasedExpectation(points[0].value, session, scale.direction === 'higher-is-worse');
        outcomes.push({
          instrumentId,
          instrumentName: { nl: scale.name.nl ?? scale.id, en: scale.name.en ?? scale.id },
          scaleId: scale.id,
          params: reliableChangeParameters(scale),
          points,
          expected,
        });
        const riskRow = now.find((r) => r.instrument_id === instrumentId && r.scale_id === scale.id && r.risk);
        if (riskRow) {
          for (const risk of scorer.spec?.risks ?? [])
            risks.push({
              instrumentId,
              item: risk.item,
              answerScore: 1,
              label: { nl: risk.label.nl ?? risk.code, en: risk.label.en ?? risk.code },
            });
        }
      }
      const first = now[0];
      const drafts: AlertDraft[] = evaluateAlerts({
        participantId: first.participant_id,
        participantLabel: first.label,
        sessionNumber: session,
        responseIds: [first.response_id],
        risks,
        outcomes,
        alliance,
        rules: DEFAULT_RULE_SETTINGS,
      });
      for (const d of drafts) {
        const finished = first.status !== 'active';
        out.push({
          org_id: orgId,
          episode_id: first.episode_id,
          response_id: first.response_id,
          rule: d.rule,
          event_key: d.eventKey,
          severity: d.severity,
          reason: JSON.stringify({ ...d.reason, suggestions: d.suggestions }),
          created_at: first.measured_at,
          acknowledged_at: finished ? first.measured_at : null,
          acknowledged_by: finished ? first.therapist_id : null,
          acknowledgement_note: finished ? 'Demo: handled during treatment.' : null,
        });
      }
    }
  }
  // One event raises one alert: keep the first of each (episode, rule, event key).
  const seen = new Set<string>();
  const unique = out.filter((a) => {
    const key = `${a.episode_id}|${a.rule}|${a.event_key}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  for (let i = 0; i < unique.length; i += 500) {
    await db
      .insertInto('alerts')
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are built to match the table
      .values(unique.slice(i, i + 500) as any)
      .onConflict((oc) => oc.columns(['episode_id', 'rule', 'event_key']).doNothing())
      .execute();
  }
  return unique.length;
}
