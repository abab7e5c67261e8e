import { formatDecimal } from '../format.ts';
import type { ReliableChangeParameters } from '../instruments/reliable-change.ts';
import { assessChange } from './reliable-change.ts';
import { SUGGESTIONS, type Bilingual, type SuggestionKey } from './suggestions.ts';

export type AlertRule =
  | 'risk'
  | 'not_on_track'
  | 'reliable_deterioration'
  | 'no_reliable_improvement'
  | 'alliance_low'
  | 'alliance_drop'
  | 'recovered';

export interface AlertDraft {
  rule: AlertRule;
  /** Identifies the event: the same event never raises a second alert (unique per episode and rule). */
  eventKey: string;
  severity: 'info' | 'warning' | 'urgent';
  reason: Bilingual & {
    rule: AlertRule;
    sessionNumber: number;
    instrumentId?: string;
    participantId: string;
    values?: Record<string, number | null>;
  };
  suggestions: Bilingual[];
}

export interface OutcomeSeries {
  instrumentId: string;
  instrumentName: Bilingual;
  scaleId: string;
  params: ReliableChangeParameters;
  /** Scores by session, ascending, including the newest. */
  points: Array<{ session: number; value: number }>;
  /** The expected course's tolerance band at the newest session, when a curve exists. */
  expected: { mean: number; lower: number; upper: number; method: string } | null;
}

export interface AllianceSeries {
  instrumentId: string;
  /** Mean item score (0–10) by session, ascending, including the newest. */
  points: Array<{ session: number; value: number }>;
  /** Below this the alliance counts as low (the instrument's declared threshold). */
  lowThreshold: number;
}

export interface AlertInput {
  participantId: string;
  participantLabel: string;
  sessionNumber: number;
  responseIds: string[];
  risks: Array<{ instrumentId: string; item: string; answerScore: number; label: Bilingual }>;
  outcomes: OutcomeSeries[];
  alliance: AllianceSeries | null;
  rules: AlertRuleSettings;
}

export interface AlertRuleSettings {
  /** "No reliable improvement by session N". */
  noImprovementBySession: number;
  /** A drop of the alliance mean by at least this much against the participant's earlier mean. */
  allianceDrop: number;
}

export const DEFAULT_RULE_SETTINGS: AlertRuleSettings = { noImprovementBySession: 6, allianceDrop: 1.5 };

function pick(...keys: SuggestionKey[]): Bilingual[] {
  return keys.map((k) => SUGGESTIONS[k]);
}

function basisText(
  change: ReturnType<typeof assessChange>,
  params: ReliableChangeParameters,
  lang: 'nl' | 'en',
): string {
  if (change.rci !== null) return `RCI ${formatDecimal(change.rci, lang, 1, { wholeAsIs: true })}`;
  const threshold = params.publishedReliableChange?.value ?? 0;
  return lang === 'nl'
    ? `gepubliceerde drempel voor betrouwbare verandering: ${formatDecimal(threshold, 'nl', 1, { wholeAsIs: true })} punten`
    : `published reliable-change threshold: ${formatDecimal(threshold, 'en', 1, { wholeAsIs: true })} points`;
}

/** Evaluates every rule for one submitted measurement of one participant. Pure. */
export function evaluateAlerts(input: AlertInput): AlertDraft[] {
  const alerts: AlertDraft[] = [];
  const { participantId: pid, sessionNumber: s } = input;
  const base = { participantId: pid, sessionNumber: s };

  for (const risk of input.risks) {
    alerts.push({
      rule: 'risk',
      eventKey: `${input.responseIds.join('+')}:${risk.instrumentId}:${risk.item}`,
      severity: 'urgent',
      reason: {
        ...base,
        rule: 'risk',
        instrumentId: risk.instrumentId,
        nl: `Risico-item beantwoord in sessie ${s} (${input.participantLabel}): ${risk.label.nl} (antwoordscore ${risk.answerScore}).`,
        en: `Risk item endorsed in session ${s} (${input.participantLabel}): ${risk.label.en} (answer score ${risk.answerScore}).`,
      },
      suggestions: pick('safety', 'supervision'),
    });
  }

  for (const series of input.outcomes) {
    const intake = series.points[0];
    const latest = series.points.at(-1);
    if (!intake || !latest || (latest.session === intake.session && series.points.length === 1)) continue;
    const change = assessChange(intake.value, latest.value, series.params);
    const values = { intake: intake.value, latest: latest.value, rci: change.rci };
    const key = `${series.instrumentId}:${series.scaleId}:${pid}`;
    const name = series.instrumentName;
    if (series.expected && series.params.direction !== 'none') {
      const worse =
        series.params.direction === 'higher-is-worse'
          ? latest.value > series.expected.upper
          : latest.value < series.expected.lower;
      if (worse) {
        alerts.push({
          rule: 'not_on_track',
          eventKey: `${key}:s${s}`,
          severity: 'warning',
          reason: {
            ...base,
            rule: 'not_on_track',
            instrumentId: series.instrumentId,
            values: {
              ...values,
              expected: series.expected.mean,
              lower: series.expected.lower,
              upper: series.expected.upper,
            },
            nl: `${name.nl} ${formatDecimal(latest.value, 'nl', 1, { wholeAsIs: true })} in sessie ${s} ligt buiten de verwachte band (${formatDecimal(series.expected.lower, 'nl', 1, { wholeAsIs: true })}–${formatDecimal(series.expected.upper, 'nl', 1, { wholeAsIs: true })}) voor cliënten met deze beginscore.`,
            en: `${name.en} ${formatDecimal(latest.value, 'en', 1, { wholeAsIs: true })} at session ${s} lies outside the expected band (${formatDecimal(series.expected.lower, 'en', 1, { wholeAsIs: true })}–${formatDecimal(series.expected.upper, 'en', 1, { wholeAsIs: true })}) for clients with this intake score.`,
          },
          suggestions: pick('metacommunicate', 'revisitGoals', 'supervision', 'adaptApproach'),
        });
      }
    }
    if (change.class === 'deteriorated') {
      alerts.push({
        rule: 'reliable_deterioration',
        eventKey: key,
        severity: 'warning',
        reason: {
          ...base,
          rule: 'reliable_deterioration',
          instrumentId: series.instrumentId,
          values,
          nl: `${name.nl} is betrouwbaar verslechterd: van ${formatDecimal(intake.value, 'nl', 1, { wholeAsIs: true })} bij de intake naar ${formatDecimal(latest.value, 'nl', 1, { wholeAsIs: true })} (${basisText(change, series.params, 'nl')}).`,
          en: `${name.en} has reliably deteriorated: from ${formatDecimal(intake.value, 'en', 1, { wholeAsIs: true })} at intake to ${formatDecimal(latest.value, 'en', 1, { wholeAsIs: true })} (${basisText(change, series.params, 'en')}).`,
        },
        suggestions: pick('metacommunicate', 'exploreRupture', 'supervision', 'adaptApproach'),
      });
    }
    if (
      s >= input.rules.noImprovementBySession &&
      change.basis !== null &&
      !(change.reliable && change.improvement > 0)
    ) {
      alerts.push({
        rule: 'no_reliable_improvement',
        eventKey: key,
        severity: 'info',
        reason: {
          ...base,
          rule: 'no_reliable_improvement',
          instrumentId: series.instrumentId,
          values,
          nl: `Na ${s} sessies is ${name.nl} nog niet betrouwbaar verbeterd (van ${formatDecimal(intake.value, 'nl', 1, { wholeAsIs: true })} naar ${formatDecimal(latest.value, 'nl', 1, { wholeAsIs: true })}).`,
          en: `After ${s} sessions ${name.en} has not yet reliably improved (from ${formatDecimal(intake.value, 'en', 1, { wholeAsIs: true })} to ${formatDecimal(latest.value, 'en', 1, { wholeAsIs: true })}).`,
        },
        suggestions: pick('revisitGoals', 'metacommunicate', 'adaptApproach', 'supervision'),
      });
    }
    if (change.class === 'recovered') {
      alerts.push({
        rule: 'recovered',
        eventKey: key,
        severity: 'info',
        reason: {
          ...base,
          rule: 'recovered',
          instrumentId: series.instrumentId,
          values,
          nl: `${name.nl} is hersteld: betrouwbaar verbeterd van ${formatDecimal(intake.value, 'nl', 1, { wholeAsIs: true })} naar ${formatDecimal(latest.value, 'nl', 1, { wholeAsIs: true })}, nu onder het klinische afkappunt.`,
          en: `${name.en} has recovered: reliably improved from ${formatDecimal(intake.value, 'en', 1, { wholeAsIs: true })} to ${formatDecimal(latest.value, 'en', 1, { wholeAsIs: true })}, now below the clinical cut-off.`,
        },
        suggestions: pick('considerEnding'),
      });
    }
  }

  const alliance = input.alliance;
  const now = alliance?.points.at(-1);
  if (alliance && now && now.session === s) {
    if (now.value < alliance.lowThreshold) {
      alerts.push({
        rule: 'alliance_low',
        eventKey: `${alliance.instrumentId}:${pid}:s${s}`,
        severity: 'warning',
        reason: {
          ...base,
          rule: 'alliance_low',
          instrumentId: alliance.instrumentId,
          values: { latest: now.value, threshold: alliance.lowThreshold },
          nl: `De werkrelatie wordt laag beoordeeld in sessie ${s}: gemiddeld ${formatDecimal(now.value, 'nl', 1, { wholeAsIs: true })} (grens ${formatDecimal(alliance.lowThreshold, 'nl', 1, { wholeAsIs: true })}).`,
          en: `The working alliance is rated low at session ${s}: mean ${formatDecimal(now.value, 'en', 1, { wholeAsIs: true })} (threshold ${formatDecimal(alliance.lowThreshold, 'en', 1, { wholeAsIs: true })}).`,
        },
        suggestions: pick('exploreRupture', 'metacommunicate', 'revisitGoals', 'supervision'),
      });
    }
    const earlier = alliance.points.slice(0, -1);
    if (earlier.length >= 2) {
      const mean = earlier.reduce((sum, p) => sum + p.value, 0) / earlier.length;
      if (mean - now.value >= input.rules.allianceDrop) {
        alerts.push({
          rule: 'alliance_drop',
          eventKey: `${alliance.instrumentId}:${pid}:s${s}`,
          severity: 'warning',
          reason: {
            ...base,
            rule: 'alliance_drop',
            instrumentId: alliance.instrumentId,
            values: { latest: now.value, earlierMean: mean },
            nl: `De werkrelatie daalt: ${formatDecimal(now.value, 'nl', 1, { wholeAsIs: true })} in sessie ${s} tegen gemiddeld ${formatDecimal(mean, 'nl', 1, { wholeAsIs: true })} eerder.`,
            en: `The working alliance is dropping: ${formatDecimal(now.value, 'en', 1, { wholeAsIs: true })} at session ${s} against a mean of ${formatDecimal(mean, 'en', 1, { wholeAsIs: true })} before.`,
          },
          suggestions: pick('exploreRupture', 'metacommunicate', 'supervision'),
        });
      }
    }
  }
  return alerts;
}
