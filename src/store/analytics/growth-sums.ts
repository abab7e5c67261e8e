import { sql, type Kysely } from 'kysely';
import type { PatientSums } from '../../domain/stats/mixed/index.ts';
import type { Database } from '../schema.ts';

/**
 * The heavy pass of the expected-course model, as SQL GROUP BYs: per client (participant) the sums
 * the growth model needs, and one global cross-product, so the fit never sees a session row.
 * Columns w = [1, t, intake, t·intake, y] with t = ln(session + 1) and intake = the participant's
 * first score. The global cross-product is taken around a shift (the column means of a first pass):
 * raw sums of squares lose digits at scale.
 */
export interface CourseSums {
  patients: PatientSums[];
  wtw: number[];
  shift: number[];
  window: { from: string; to: string; episodes: number; measurements: number; therapists: number };
}

const obs = (orgId: string, instrumentId: string, scaleId: string) => sql`
  SELECT s.therapist_id, s.participant_id, s.episode_id, s.measured_at,
         ln((s.session_number + 1)::float8) AS t,  -- float8: numeric arithmetic is ~4× slower
         s.value AS y,
         first_value(s.value) OVER (PARTITION BY s.participant_id ORDER BY s.session_number, s.measured_at) AS intake
  FROM scores s
  JOIN episodes e ON e.id = s.episode_id
  WHERE s.org_id = ${orgId} AND s.instrument_id = ${instrumentId} AND s.scale_id = ${scaleId}
    AND s.value IS NOT NULL AND e.status = 'completed'`;

export async function courseSums(
  db: Kysely<Database>,
  orgId: string,
  instrumentId: string,
  scaleId: string,
): Promise<CourseSums> {
  const means = await sql<{
    n: number;
    t: number;
    i: number;
    ti: number;
    y: number;
    episodes: number;
    therapists: number;
    first: Date | null;
    last: Date | null;
  }>`
    WITH o AS (${obs(orgId, instrumentId, scaleId)})
    SELECT count(*) AS n, avg(t) AS t, avg(intake) AS i, avg(t * intake) AS ti, avg(y) AS y,
           count(DISTINCT episode_id) AS episodes, count(DISTINCT therapist_id) AS therapists,
           min(measured_at) AS first, max(measured_at) AS last
    FROM o`.execute(db);
  const m = means.rows[0];
  const shift = [0, m.t ?? 0, m.i ?? 0, m.ti ?? 0, m.y ?? 0].map(Number);
  const [, st, si, sti, sy] = shift;
  const perPatient = await sql<{
    therapist_id: string;
    participant_id: string;
    n: number;
    st: number;
    stt: number;
    si: number;
    sti: number;
    stti: number;
    sy: number;
    sty: number;
  }>`
    WITH o AS (${obs(orgId, instrumentId, scaleId)})
    SELECT therapist_id, participant_id, count(*) AS n,
           sum(t) AS st, sum(t * t) AS stt, sum(intake) AS si, sum(t * intake) AS sti, sum(t * t * intake) AS stti,
           sum(y) AS sy, sum(t * y) AS sty
    FROM o GROUP BY therapist_id, participant_id ORDER BY therapist_id, participant_id`.execute(db);
  // Σ (w − shift)(w − shift)ᵀ over rows, upper triangle of the 5×5 matrix.
  const cross = await sql<Record<string, number>>`
    WITH o AS (${obs(orgId, instrumentId, scaleId)}),
         c AS (SELECT 1.0 AS w0, t - ${st} AS w1, intake - ${si} AS w2, t * intake - ${sti} AS w3, y - ${sy} AS w4 FROM o)
    SELECT sum(w0*w0) AS a00, sum(w0*w1) AS a01, sum(w0*w2) AS a02, sum(w0*w3) AS a03, sum(w0*w4) AS a04,
           sum(w1*w1) AS a11, sum(w1*w2) AS a12, sum(w1*w3) AS a13, sum(w1*w4) AS a14,
           sum(w2*w2) AS a22, sum(w2*w3) AS a23, sum(w2*w4) AS a24,
           sum(w3*w3) AS a33, sum(w3*w4) AS a34, sum(w4*w4) AS a44
    FROM c`.execute(db);
  const a = cross.rows[0];
  const wtw = new Array<number>(25).fill(0);
  for (let r = 0; r < 5; r++) for (let c = r; c < 5; c++) wtw[r * 5 + c] = wtw[c * 5 + r] = Number(a[`a${r}${c}`] ?? 0);
  // growthStatsFromSums wants Σ(w − shift) and Σ t·(w − shift); per client the raw sums are small.
  const patients: PatientSums[] = perPatient.rows.map((p) => {
    const n = Number(p.n);
    const sumT = Number(p.st);
    const raw = [n, sumT, Number(p.si), Number(p.sti), Number(p.sy)];
    const rawT = [sumT, Number(p.stt), Number(p.sti), Number(p.stti), Number(p.sty)];
    return {
      therapist: p.therapist_id,
      patient: p.participant_id,
      n,
      st: sumT,
      stt: Number(p.stt),
      sw: raw.map((v, k) => v - n * shift[k]),
      stw: rawT.map((v, k) => v - sumT * shift[k]),
    };
  });
  return {
    patients,
    wtw,
    shift,
    window: {
      from: m.first ? new Date(m.first).toISOString() : '',
      to: m.last ? new Date(m.last).toISOString() : '',
      episodes: Number(m.episodes),
      measurements: Number(m.n),
      therapists: Number(m.therapists),
    },
  };
}
