import { sql, type Kysely } from 'kysely';
import type { ReliableChangeParameters } from '../../domain/instruments/reliable-change.ts';
import { expectedAt, ruleBasedExpectation, type ExpectedCurve } from '../../domain/feedback/expected.ts';
import { episodeOutcome } from '../../domain/dashboards/episode.ts';
import { addSums, emptyOutcome, type ActivitySums, type OutcomeSums } from '../../domain/dashboards/figures.ts';
import type { Database, Modality } from '../schema.ts';

export interface OutcomeInstrument {
  instrumentId: string;
  scaleId: string;
  params: ReliableChangeParameters;
  /** The organisation's fitted expected course, when there is one (else the rule-based fallback). */
  curve: ExpectedCurve | null;
}

const QUARTER = `'YYYY-"Q"Q'`;

interface CellRow {
  org_id: string;
  family: 'outcome' | 'activity';
  instrument_id: string;
  quarter: string;
  modality: Modality;
  therapist_id: string;
  episodes: number;
  metrics: string;
}

/**
 * Rebuilds the organisation's dashboard cells from its episodes, scores, invitations, sessions and
 * alerts. Outcome cells: episodes that ended, by the quarter they ended, per outcome instrument;
 * activity cells: invitations, sessions and alerts by the quarter they happened. Runs with the
 * nightly refit (it reads every score of the organisation) and on demand.
 */
export async function refreshDashboardCells(
  db: Kysely<Database>,
  orgId: string,
  instruments: OutcomeInstrument[],
): Promise<{ cells: number; seconds: number }> {
  const started = performance.now();
  const rows: CellRow[] = [];
  for (const instrument of instruments) rows.push(...(await outcomeCells(db, orgId, instrument)));
  rows.push(...(await activityCells(db, orgId)));
  const seconds = (performance.now() - started) / 1000;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('dashboard_cells').where('org_id', '=', orgId).execute();
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('dashboard_cells')
        .values(rows.slice(i, i + 500))
        .execute();
    // A new row, so a new generation (031): every instance's cache of the old cells goes stale.
    await trx.deleteFrom('dashboard_refreshes').where('org_id', '=', orgId).execute();
    await trx.insertInto('dashboard_refreshes').values({ org_id: orgId, refreshed_at: new Date(), seconds }).execute();
  });
  return { cells: rows.length, seconds };
}

async function outcomeCells(db: Kysely<Database>, orgId: string, instrument: OutcomeInstrument): Promise<CellRow[]> {
  // One series per ended episode: the participant with the most scores (the client in an individual episode).
  const { rows } = await sql<{
    therapist_id: string;
    modality: Modality;
    status: 'completed' | 'dropped';
    quarter: string;
    intake: number;
    intake_band: string | null;
    last: number;
    last_session: number;
    n: number;
  }>`
    WITH series AS (
      SELECT s.episode_id, s.participant_id,
             (array_agg(s.value ORDER BY s.session_number, s.measured_at))[1] AS intake,
             (array_agg(s.band ORDER BY s.session_number, s.measured_at))[1] AS intake_band,
             (array_agg(s.value ORDER BY s.session_number DESC, s.measured_at DESC))[1] AS last,
             max(s.session_number) AS last_session,
             count(*)::int AS n
      FROM scores s JOIN episodes e ON e.id = s.episode_id
      WHERE s.org_id = ${orgId} AND s.instrument_id = ${instrument.instrumentId} AND s.scale_id = ${instrument.scaleId}
        AND s.value IS NOT NULL AND e.status IN ('completed', 'dropped') AND e.ended_on IS NOT NULL
      GROUP BY s.episode_id, s.participant_id
    )
    SELECT DISTINCT ON (x.episode_id) e.therapist_id, e.modality, e.status,
           to_char(e.ended_on, ${sql.raw(QUARTER)}) AS quarter, x.intake, x.intake_band, x.last, x.last_session, x.n
    FROM series x JOIN episodes e ON e.id = x.episode_id
    ORDER BY x.episode_id, x.n DESC, x.participant_id`.execute(db);
  const higherIsWorse = instrument.params.direction !== 'higher-is-better';
  const curve = instrument.curve;
  const expected = (intake: number, session: number) =>
    curve ? expectedAt(curve, intake, session) : ruleBasedExpectation(intake, session, higherIsWorse);
  const cells = new Map<string, { episodes: number; sums: OutcomeSums; row: Omit<CellRow, 'episodes' | 'metrics'> }>();
  for (const r of rows) {
    const key = `${r.quarter}|${r.modality}|${r.therapist_id}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        episodes: 0,
        sums: emptyOutcome(),
        row: {
          org_id: orgId,
          family: 'outcome',
          instrument_id: instrument.instrumentId,
          quarter: r.quarter,
          modality: r.modality,
          therapist_id: r.therapist_id,
        },
      };
      cells.set(key, cell);
    }
    cell.episodes++;
    addSums(
      cell.sums,
      episodeOutcome(
        {
          status: r.status,
          intake: r.intake,
          intakeBand: r.intake_band,
          last: r.n > 1 ? { value: r.last, session: r.last_session } : null,
        },
        instrument.params,
        expected,
      ),
    );
  }
  return [...cells.values()].map((c) => ({ ...c.row, episodes: c.episodes, metrics: JSON.stringify(c.sums) }));
}

async function activityCells(db: Kysely<Database>, orgId: string): Promise<CellRow[]> {
  const { rows } = await sql<{
    therapist_id: string;
    modality: Modality;
    quarter: string;
    episodes: number;
    sent: number;
    opened: number;
    completed: number;
    held: number;
    measured: number;
    alerts: number;
    handled: number;
    h24: number;
    h72: number;
    h168: number;
    hours: number;
  }>`
    WITH inv AS (
      SELECT episode_id, to_char(created_at AT TIME ZONE 'Europe/Amsterdam', ${sql.raw(QUARTER)}) AS quarter,
             count(*) AS sent,
             count(*) FILTER (WHERE opened_at IS NOT NULL OR used_at IS NOT NULL) AS opened,
             count(*) FILTER (WHERE used_at IS NOT NULL) AS completed
      FROM invitations WHERE org_id = ${orgId} GROUP BY 1, 2
    ), ses AS (
      SELECT t.episode_id, to_char(t.held_on, ${sql.raw(QUARTER)}) AS quarter, count(*) AS held,
             count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM responses r WHERE r.episode_id = t.episode_id AND r.session_number = t.number)) AS measured
      -- Only held sessions count as measured or not: planned and cancelled ones have no date held.
      FROM therapy_sessions t WHERE t.org_id = ${orgId} AND t.status = 'held' GROUP BY 1, 2
    ), al AS (
      SELECT episode_id, to_char(created_at AT TIME ZONE 'Europe/Amsterdam', ${sql.raw(QUARTER)}) AS quarter,
             count(*) AS alerts,
             count(*) FILTER (WHERE acknowledged_at IS NOT NULL) AS handled,
             count(*) FILTER (WHERE acknowledged_at - created_at <= interval '24 hours') AS h24,
             count(*) FILTER (WHERE acknowledged_at - created_at <= interval '72 hours') AS h72,
             count(*) FILTER (WHERE acknowledged_at - created_at <= interval '168 hours') AS h168,
             coalesce(sum(extract(epoch FROM acknowledged_at - created_at) / 3600), 0) AS hours
      FROM alerts WHERE org_id = ${orgId} AND rule IN ('risk', 'not_on_track') GROUP BY 1, 2
    ), u AS (
      SELECT episode_id, quarter, sent, opened, completed, 0 AS held, 0 AS measured, 0 AS alerts, 0 AS handled,
             0 AS h24, 0 AS h72, 0 AS h168, 0 AS hours FROM inv
      UNION ALL SELECT episode_id, quarter, 0, 0, 0, held, measured, 0, 0, 0, 0, 0, 0 FROM ses
      UNION ALL SELECT episode_id, quarter, 0, 0, 0, 0, 0, alerts, handled, h24, h72, h168, hours FROM al
    )
    SELECT e.therapist_id, e.modality, u.quarter, count(DISTINCT u.episode_id)::int AS episodes,
           sum(sent)::int AS sent, sum(opened)::int AS opened, sum(completed)::int AS completed,
           sum(held)::int AS held, sum(measured)::int AS measured, sum(alerts)::int AS alerts,
           sum(handled)::int AS handled, sum(h24)::int AS h24, sum(h72)::int AS h72, sum(h168)::int AS h168,
           sum(hours)::float8 AS hours
    FROM u JOIN episodes e ON e.id = u.episode_id
    GROUP BY 1, 2, 3`.execute(db);
  return rows.map((r) => {
    const sums: ActivitySums = {
      invitationsSent: r.sent,
      invitationsOpened: r.opened,
      invitationsCompleted: r.completed,
      sessionsHeld: r.held,
      sessionsMeasured: r.measured,
      alerts: r.alerts,
      alertsHandled: r.handled,
      handledWithin: { '24': r.h24, '72': r.h72, '168': r.h168 },
      handlingHours: r.hours,
    };
    return {
      org_id: orgId,
      family: 'activity' as const,
      instrument_id: '',
      quarter: r.quarter,
      modality: r.modality,
      therapist_id: r.therapist_id,
      episodes: r.episodes,
      metrics: JSON.stringify(sums),
    };
  });
}
