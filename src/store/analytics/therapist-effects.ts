import { sql, type Kysely } from 'kysely';
import { fitInterceptModel, interceptStatsFromGroups } from '../../domain/stats/mixed/index.ts';
import { estimatesFrom, MIN_EPISODES_PER_THERAPIST, type EffectsSummary } from '../../domain/feedback/effects.ts';
import type { Database } from '../schema.ts';

/**
 * Heavy pass of the therapist-effects model in SQL: session scores → one row per completed episode
 * (first and last score) → per-therapist n and means of [1, intake_c, post] plus the pooled
 * within-therapist cross-product, computed against the group means (not from raw sums of squares).
 */
const episodesCte = (orgId: string, instrumentId: string, scaleId: string) => sql`
  SELECT s.episode_id, s.therapist_id,
         (array_agg(s.value ORDER BY s.session_number, s.measured_at))[1] AS intake,
         (array_agg(s.value ORDER BY s.session_number DESC, s.measured_at DESC))[1] AS post,
         min(s.measured_at) AS first, max(s.measured_at) AS last
  FROM scores s JOIN episodes e ON e.id = s.episode_id
  WHERE s.org_id = ${orgId} AND s.instrument_id = ${instrumentId} AND s.scale_id = ${scaleId}
    AND s.value IS NOT NULL AND e.status = 'completed' AND e.modality = 'individual'
  GROUP BY s.episode_id, s.therapist_id
  HAVING count(*) >= 2`;

interface GroupRow {
  therapist_id: string;
  n: number;
  mi: number;
  mp: number;
  wii: number;
  wip: number;
  wpp: number;
}

async function groupSums(
  db: Kysely<Database>,
  orgId: string,
  instrumentId: string,
  scaleId: string,
  intakeCentre: number,
  range: [number, number | null],
) {
  const [from, to] = range;
  const rows = await sql<GroupRow>`
    WITH ep AS (${episodesCte(orgId, instrumentId, scaleId)}),
         sel AS (SELECT therapist_id, intake - ${intakeCentre}::float8 AS i, post AS p FROM ep WHERE intake >= ${from} AND (${to}::float8 IS NULL OR intake < ${to}::float8)),
         g AS (SELECT therapist_id, count(*) AS n, avg(i) AS mi, avg(p) AS mp FROM sel GROUP BY therapist_id)
    SELECT g.therapist_id, g.n, g.mi, g.mp,
           sum((s.i - g.mi) * (s.i - g.mi)) AS wii, sum((s.i - g.mi) * (s.p - g.mp)) AS wip, sum((s.p - g.mp) * (s.p - g.mp)) AS wpp
    FROM sel s JOIN g ON g.therapist_id = s.therapist_id
    GROUP BY g.therapist_id, g.n, g.mi, g.mp ORDER BY g.therapist_id`.execute(db);
  const within = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const r of rows.rows) {
    within[4] += Number(r.wii);
    within[5] += Number(r.wip);
    within[7] += Number(r.wip);
    within[8] += Number(r.wpp);
  }
  return {
    groups: rows.rows.map((r) => ({ group: r.therapist_id, n: Number(r.n), mean: [1, Number(r.mi), Number(r.mp)] })),
    within,
  };
}

export async function fitTherapistEffects(
  db: Kysely<Database>,
  orgId: string,
  instrumentId: string,
  scaleId: string,
  direction: EffectsSummary['direction'],
  now = new Date(),
): Promise<EffectsSummary | null> {
  const meta = await sql<{
    episodes: number;
    therapists: number;
    intake: number;
    median: number;
    first: Date | null;
    last: Date | null;
  }>`
    WITH ep AS (${episodesCte(orgId, instrumentId, scaleId)})
    SELECT count(*) AS episodes, count(DISTINCT therapist_id) AS therapists, avg(intake) AS intake,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY intake) AS median, min(first) AS first, max(last) AS last FROM ep`.execute(
    db,
  );
  const m = meta.rows[0];
  if (!m || Number(m.episodes) < 2 * MIN_EPISODES_PER_THERAPIST || Number(m.therapists) < 2) return null;
  const intakeCentre = Number(m.intake);
  const fitRange = async (range: [number, number | null]) => {
    const sums = await groupSums(db, orgId, instrumentId, scaleId, intakeCentre, range);
    const stats = interceptStatsFromGroups({
      columns: ['(Intercept)', 'intake_c'],
      response: 'post',
      groups: sums.groups,
      within: sums.within,
    });
    const fit = fitInterceptModel(stats, { group: 'therapist' });
    const counts = new Map(sums.groups.map((g) => [String(g.group), g.n]));
    const eligible = new Set(sums.groups.filter((g) => g.n >= MIN_EPISODES_PER_THERAPIST).map((g) => String(g.group)));
    return { fit, counts, eligible, episodes: sums.groups.reduce((s, g) => s + g.n, 0) };
  };
  const all = await fitRange([Number.NEGATIVE_INFINITY, null]);
  const median = Number(m.median);
  const strata: EffectsSummary['strata'] = [];
  for (const [label, range] of [
    [
      { nl: `Lagere beginernst (intake < ${median})`, en: `Lower intake severity (intake < ${median})` },
      [Number.NEGATIVE_INFINITY, median],
    ],
    [
      { nl: `Hogere beginernst (intake ≥ ${median})`, en: `Higher intake severity (intake ≥ ${median})` },
      [median, null],
    ],
  ] as const) {
    try {
      const s = await fitRange(range as [number, number | null]);
      strata.push({
        label,
        from: range[0],
        to: range[1],
        episodes: s.episodes,
        icc: s.fit.icc,
        estimates: estimatesFrom(s.fit, s.counts, direction),
      });
    } catch {
      // A stratum without enough data is left out rather than reported with a broken fit.
    }
  }
  return {
    instrumentId,
    scaleId,
    direction,
    fixed: all.fit.fixed,
    varcomp: all.fit.varcomp,
    icc: all.fit.icc,
    iccCi95: all.fit.iccProfileCi95,
    intakeMean: intakeCentre,
    episodes: Number(m.episodes),
    therapists: Number(m.therapists),
    eligibleTherapists: all.eligible.size,
    converged: all.fit.converged,
    fittedAt: now.toISOString(),
    dataWindow: {
      from: m.first ? new Date(m.first).toISOString() : '',
      to: m.last ? new Date(m.last).toISOString() : '',
    },
    estimates: estimatesFrom(all.fit, all.counts, direction),
    strata,
  };
}

/** Runs the analysis and stores it as an analysis run; returns the run id. */
export async function runTherapistEffects(
  db: Kysely<Database>,
  orgId: string,
  instrumentId: string,
  scaleId: string,
  direction: EffectsSummary['direction'],
): Promise<string> {
  const { id } = await db
    .insertInto('analysis_runs')
    .values({
      org_id: orgId,
      kind: 'therapist_effects',
      instrument_id: instrumentId,
      status: 'running',
      method: 'mixed-model (REML), post ~ intake_c + (1 | therapist), completed individual episodes',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  try {
    const summary = await fitTherapistEffects(db, orgId, instrumentId, scaleId, direction);
    if (!summary) {
      await db
        .updateTable('analysis_runs')
        .set({
          status: 'failed',
          error: 'Not enough completed episodes for a therapist-effects analysis.',
          finished_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
    } else {
      await db
        .updateTable('analysis_runs')
        .set({
          status: 'done',
          result: JSON.stringify(summary),
          data_window: JSON.stringify(summary.dataWindow),
          finished_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
    }
  } catch (error) {
    await db
      .updateTable('analysis_runs')
      .set({ status: 'failed', error: (error as Error).message, finished_at: new Date() })
      .where('id', '=', id)
      .execute();
    throw error;
  }
  return id;
}

export async function latestEffects(
  db: Kysely<Database>,
  orgId: string,
  instrumentId: string,
): Promise<EffectsSummary | null> {
  const run = await db
    .selectFrom('analysis_runs')
    .select('result')
    .where('org_id', '=', orgId)
    .where('kind', '=', 'therapist_effects')
    .where('instrument_id', '=', instrumentId)
    .where('status', '=', 'done')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (run?.result as unknown as EffectsSummary | undefined) ?? null;
}
