/**
 * Synthetic data for the benchmarks, written straight into PostgreSQL with set-based SQL
 * (generate_series), matching the tables of src/store/migrations:
 *
 *  - seedSubmitOrg: a minimal organisation with many active episodes and single-use invitations
 *    whose tokens the benchmark knows (only their SHA-256 is stored, as the app does).
 *  - ensureLargeOrg: a large organisation for the analytics and caseload benchmarks: ≥ 1,000,000
 *    PHQ-9 measurements (responses + score rows) in completed episodes from a log-linear growth
 *    model, plus one therapist with 300 active episodes (PHQ-9 + alliance each session, plans,
 *    pending invitations, open alerts). Kept in its own database between runs (it takes minutes to
 *    build), keyed by the generator version and parameters.
 */
import { randomBytes } from 'node:crypto';
import { openStore } from '../src/store/database.ts';
import { migrate } from '../src/store/migrate.ts';
import { tokenHash } from '../src/store/invitations.ts';
import { hashPassword } from '../src/store/passwords.ts';
import { createDatabase, databaseExists, DEMO_PASSWORD, log, pgUrl, withClient } from './_load.ts';

/** Applies Spiegel's migrations to a database (the server would do the same on start). */
export async function migrateDatabase(url: string): Promise<void> {
  const store = await openStore({ databaseUrl: url, dataDir: 'memory', poolMax: 2 });
  try {
    await migrate(store.db);
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------

export interface SeededInvitation {
  token: string;
  id: string;
  episodeId: string;
  session: number;
}

export interface SubmitOrg {
  orgId: string;
  /** In session-major order: every episode's session 1, then every episode's session 2, … */
  invitations: SeededInvitation[];
}

/**
 * An organisation with `episodes` active individual episodes spread over `therapists`, each with
 * `sessions` open invitations (PHQ-9 + alliance check, expiring in 7 days).
 */
export async function seedSubmitOrg(
  url: string,
  options: { slug?: string; therapists?: number; episodes: number; sessions: number; expiresInDays?: number },
): Promise<SubmitOrg> {
  const { episodes, sessions } = options;
  const therapists = options.therapists ?? Math.max(1, Math.ceil(episodes / 100));
  const slug = options.slug ?? 'bench-submit';
  return withClient(url, async (client) => {
    await client.query('BEGIN');
    const org = await client.query<{ id: string }>(
      `INSERT INTO organisations (slug, name, settings) VALUES ($1, $2, '{"requireTotp": false}') RETURNING id`,
      [slug, `Bench ${slug}`],
    );
    const orgId = org.rows[0].id;
    await client.query(
      `INSERT INTO users (org_id, email, display_name, roles) SELECT $1, 'therapist' || i || '@' || $2 || '.test', 'Therapist ' || i, '{therapist}' FROM generate_series(1, $3::int) i`,
      [orgId, slug, therapists],
    );
    await client.query(
      `CREATE TEMP TABLE seed_ep ON COMMIT DROP AS
      SELECT i, t.id AS therapist_id, gen_random_uuid() AS client_id, gen_random_uuid() AS episode_id, gen_random_uuid() AS participant_id
      FROM generate_series(1, $2::int) i
      JOIN (SELECT id, row_number() OVER (ORDER BY email) - 1 AS k FROM users WHERE org_id = $1) t ON t.k = i % $3`,
      [orgId, episodes, therapists],
    );
    await client.query(
      `INSERT INTO clients (id, org_id, code, therapist_id) SELECT client_id, $1, $2 || '-' || i, therapist_id FROM seed_ep`,
      [orgId, slug.toUpperCase()],
    );
    await client.query(
      `INSERT INTO episodes (id, org_id, client_id, therapist_id, modality, status, started_on) SELECT episode_id, $1, client_id, therapist_id, 'individual', 'active', current_date - 90 FROM seed_ep`,
      [orgId],
    );
    await client.query(
      `INSERT INTO participants (id, org_id, episode_id, label) SELECT participant_id, $1, episode_id, 'client' FROM seed_ep`,
      [orgId],
    );
    await client.query(
      `INSERT INTO measurement_plans (org_id, episode_id, instrument_id, schedule) SELECT $1, episode_id, x, 'every_session' FROM seed_ep, unnest(ARRAY['phq9', 'spiegel-alliance']) x`,
      [orgId],
    );
    const eps = await client.query<{ i: number; episode_id: string }>('SELECT i, episode_id FROM seed_ep ORDER BY i');
    const invitations: SeededInvitation[] = [];
    const CHUNK = 5_000;
    const all: Array<{ token: string; i: number; session: number }> = [];
    for (let s = 1; s <= sessions; s++)
      for (let i = 1; i <= episodes; i++) all.push({ token: randomBytes(24).toString('base64url'), i, session: s });
    const episodeOf = new Map(eps.rows.map((r) => [r.i, r.episode_id]));
    for (let at = 0; at < all.length; at += CHUNK) {
      const part = all.slice(at, at + CHUNK);
      const rows = await client.query<{ id: string; token_hash: string }>(
        `INSERT INTO invitations (org_id, episode_id, participant_id, token_hash, instrument_ids, lang, expires_at, session_number)
         SELECT $1, e.episode_id, e.participant_id, x.hash, ARRAY['phq9', 'spiegel-alliance'], 'nl', now() + make_interval(days => $5::int), x.session
         FROM unnest($2::int[], $3::int[], $4::text[]) AS x(i, session, hash) JOIN seed_ep e ON e.i = x.i
         RETURNING id, token_hash`,
        [
          orgId,
          part.map((p) => p.i),
          part.map((p) => p.session),
          part.map((p) => tokenHash(p.token)),
          options.expiresInDays ?? 7,
        ],
      );
      const idOf = new Map(rows.rows.map((r) => [r.token_hash, r.id]));
      for (const p of part)
        invitations.push({
          token: p.token,
          id: idOf.get(tokenHash(p.token))!,
          episodeId: episodeOf.get(p.i)!,
          session: p.session,
        });
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return { orgId, invitations };
  });
}

// ---------------------------------------------------------------------------------------------

export const LARGE_DB = process.env.SPIEGEL_BENCH_LARGE_DB || 'spiegel_bench_large';
export const CASELOAD_THERAPIST = 'caseload@bench-large.test';

export interface LargeOrgParams {
  version: number;
  /** Completed episodes; sessions per episode cycle 4..16 (mean 10), so measurements ≈ 10 × episodes. */
  completedEpisodes: number;
  therapists: number;
  activeEpisodes: number;
  seed: number;
}
export const LARGE_DEFAULTS: LargeOrgParams = {
  version: 4,
  completedEpisodes: 100_100,
  therapists: 200,
  activeEpisodes: 300,
  seed: 0.4242,
};

export interface LargeOrg {
  url: string;
  orgId: string;
  params: LargeOrgParams;
  counts: { phq9Scores: number; responses: number; completedEpisodes: number; activeEpisodes: number };
  generatedSeconds: number | null;
}

/** A normal deviate in SQL (Box–Muller on random(), which follows setseed). */
const RNORM = `(sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))`;

/**
 * The large organisation, generated on first use into its own database and reused afterwards
 * (`regenerate` rebuilds it). PHQ-9 totals follow a log-linear growth model,
 *   y = clamp(round(intake + (−4 + 0.1·(intake − 17) + b_client + u_therapist) · (ln(s + 1) − ln 2) + e), 0, 27)
 * with intake ~ N(17, 4²) in 5..27, b_client ~ N(0, 1.2²), u_therapist ~ N(0, 0.6²), e ~ N(0, 2.5²).
 */
export async function ensureLargeOrg(
  options: { regenerate?: boolean; params?: Partial<LargeOrgParams> } = {},
): Promise<LargeOrg> {
  const params = { ...LARGE_DEFAULTS, ...options.params };
  const url = pgUrl(LARGE_DB);
  if (!options.regenerate && (await databaseExists(LARGE_DB))) {
    const existing = await withClient(url, async (client) => {
      try {
        const r = await client.query<{
          id: string;
          settings: { benchGenerator?: LargeOrgParams; benchCounts?: LargeOrg['counts'] };
        }>(`SELECT id, settings FROM organisations WHERE slug = 'bench-large'`);
        return r.rows[0] ?? null;
      } catch {
        return null;
      }
    });
    const stored = existing?.settings.benchGenerator as Record<string, unknown> | undefined;
    const same =
      stored &&
      Object.entries(params).every(([k, v]) => stored[k] === v) &&
      Object.keys(stored).length === Object.keys(params).length;
    if (existing && same && existing.settings.benchCounts) {
      log(`reusing the generated organisation in database ${LARGE_DB}`);
      return { url, orgId: existing.id, params, counts: existing.settings.benchCounts, generatedSeconds: null };
    }
  }
  const t0 = performance.now();
  log(`generating the large organisation into database ${LARGE_DB} (one-off; a few minutes)…`);
  await createDatabase(LARGE_DB);
  await migrateDatabase(url);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const { orgId, counts } = await withClient(url, async (client) => {
    // Synthetic, consistent by construction: skip FK triggers and WAL waits while bulk loading.
    await client.query(`SET session_replication_role = replica`);
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET work_mem = '256MB'`);
    await client.query(`SELECT setseed($1)`, [params.seed]);
    const org = await client.query<{ id: string }>(
      `INSERT INTO organisations (slug, name, settings) VALUES ('bench-large', 'Bench large organisation', $1) RETURNING id`,
      [JSON.stringify({ requireTotp: false })],
    );
    const orgId = org.rows[0].id;
    await client.query(
      `INSERT INTO org_instruments (org_id, instrument_id, enabled) VALUES ($1, 'phq9', true), ($1, 'spiegel-alliance', true)`,
      [orgId],
    );
    await client.query(
      `CREATE TEMP TABLE g_th AS SELECT j, gen_random_uuid() AS id, 0.6 * ${RNORM} AS u FROM generate_series(1, $1::int) j`,
      [params.therapists],
    );
    await client.query(
      `INSERT INTO users (id, org_id, email, display_name, roles) SELECT id, $1, 'therapist' || j || '@bench-large.test', 'Therapist ' || j, '{therapist}' FROM g_th`,
      [orgId],
    );
    const ct = await client.query<{ id: string }>(
      `INSERT INTO users (org_id, email, display_name, roles, password_hash) VALUES ($1, $2, 'Caseload Therapist', '{therapist}', $3) RETURNING id`,
      [orgId, CASELOAD_THERAPIST, passwordHash],
    );
    const caseloadTherapist = ct.rows[0].id;

    log('  completed episodes…');
    await client.query(
      `CREATE TEMP TABLE g_ep AS
      SELECT i, t.id AS therapist_id, t.u,
             gen_random_uuid() AS client_id, gen_random_uuid() AS episode_id, gen_random_uuid() AS participant_id,
             4 + (i * 7) % 13 AS n,
             least(27, greatest(5, 17 + 4 * ${RNORM})) AS intake,
             1.2 * ${RNORM} AS b,
             date '2021-01-01' + (i % 1200) AS started_on
      FROM generate_series(1, $1::int) i
      JOIN g_th t ON t.j = 1 + (hashint4(i) & 2147483647) % $2`,
      [params.completedEpisodes, params.therapists],
    );
    await client.query(
      `INSERT INTO clients (id, org_id, code, therapist_id) SELECT client_id, $1, 'L-' || i, therapist_id FROM g_ep`,
      [orgId],
    );
    await client.query(
      `INSERT INTO episodes (id, org_id, client_id, therapist_id, modality, status, started_on, ended_on)
      SELECT episode_id, $1, client_id, therapist_id, 'individual', 'completed', started_on, started_on + 7 * n FROM g_ep`,
      [orgId],
    );
    await client.query(
      `INSERT INTO participants (id, org_id, episode_id, label) SELECT participant_id, $1, episode_id, 'client' FROM g_ep`,
      [orgId],
    );
    await client.query(
      `INSERT INTO measurement_plans (org_id, episode_id, instrument_id, schedule) SELECT $1, episode_id, 'phq9', 'every_session' FROM g_ep`,
      [orgId],
    );
    log('  PHQ-9 measurements (responses)…');
    await client.query(
      `INSERT INTO responses (id, org_id, episode_id, participant_id, instrument_id, session_number, questionnaire_response, submitted_at)
      SELECT md5(e.episode_id::text || ':' || s)::uuid, $1, e.episode_id, e.participant_id, 'phq9', s, '{}'::jsonb, e.started_on + (s - 1) * 7 + time '14:00'
      FROM g_ep e, generate_series(1, e.n) s`,
      [orgId],
    );
    log('  PHQ-9 measurements (scores)…');
    await client.query(
      `INSERT INTO scores (response_id, scale_id, org_id, episode_id, participant_id, therapist_id, instrument_id, session_number, value, band, risk, measured_at)
      SELECT md5(m.episode_id::text || ':' || m.s)::uuid, 'total', $1, m.episode_id, m.participant_id, m.therapist_id, 'phq9', m.s, m.y,
             CASE WHEN m.y < 5 THEN 'minimal' WHEN m.y < 10 THEN 'mild' WHEN m.y < 15 THEN 'moderate' WHEN m.y < 20 THEN 'moderately-severe' ELSE 'severe' END,
             m.y >= 15 AND random() < 0.05, m.started_on + (m.s - 1) * 7 + time '14:00'
      FROM (SELECT e.*, s, least(27, greatest(0, round(CASE WHEN s = 1 THEN e.intake ELSE
                   e.intake + (-4 + 0.1 * (e.intake - 17) + e.b + e.u) * (ln(s + 1) - ln(2)) + 2.5 * ${RNORM} END)))::double precision AS y
            FROM g_ep e, generate_series(1, e.n) s) m`,
      [orgId],
    );

    log('  the caseload therapist’s active episodes…');
    // Trajectory kinds: 0 improving, 1 flat (off track), 2 worsening, 3 recovered, 4 low alliance, 5 risk at the last session.
    await client.query(
      `CREATE TEMP TABLE g_act AS
      SELECT i, gen_random_uuid() AS client_id, gen_random_uuid() AS episode_id, gen_random_uuid() AS participant_id,
             2 + i % 14 AS n, (ARRAY[0,0,0,0,1,1,2,3,3,4,5])[1 + i % 11] AS kind,
             least(27, greatest(10, 18 + 3 * ${RNORM})) AS intake, current_date - (2 + i % 14) * 7 AS started_on
      FROM generate_series(1, $1::int) i`,
      [params.activeEpisodes],
    );
    await client.query(
      `INSERT INTO clients (id, org_id, code, therapist_id) SELECT client_id, $1, 'A-' || lpad(i::text, 4, '0'), $2 FROM g_act`,
      [orgId, caseloadTherapist],
    );
    await client.query(
      `INSERT INTO episodes (id, org_id, client_id, therapist_id, modality, status, started_on) SELECT episode_id, $1, client_id, $2, 'individual', 'active', started_on FROM g_act`,
      [orgId, caseloadTherapist],
    );
    await client.query(
      `INSERT INTO participants (id, org_id, episode_id, label) SELECT participant_id, $1, episode_id, 'client' FROM g_act`,
      [orgId],
    );
    await client.query(
      `INSERT INTO measurement_plans (org_id, episode_id, instrument_id, schedule) SELECT $1, episode_id, x, 'every_session' FROM g_act, unnest(ARRAY['phq9', 'spiegel-alliance']) x`,
      [orgId],
    );
    await client.query(
      `INSERT INTO therapy_sessions (org_id, episode_id, number, held_on) SELECT $1, episode_id, s, started_on + (s - 1) * 7 FROM g_act, generate_series(1, n) s`,
      [orgId],
    );
    await client.query(`CREATE TEMP TABLE g_am AS
      SELECT a.*, s, a.started_on + (s - 1) * 7 + time '14:00' AS at,
             least(27, greatest(0, round(CASE a.kind
               WHEN 0 THEN a.intake - 2.8 * ln(s) * (1 + 0.5 * random())
               WHEN 1 THEN a.intake + random() - 0.5
               WHEN 2 THEN a.intake + 3 * ln(s + 1) + 2 * random()
               WHEN 3 THEN a.intake - (a.intake - 3) * (s - 1) / greatest(1, a.n - 1)
               ELSE a.intake - 2 * ln(s) END)))::double precision AS y,
             CASE WHEN a.kind = 4 THEN round((7.5 - 0.35 * s)::numeric, 1) ELSE round((7.5 + 1.5 * random())::numeric, 1) END::double precision AS alliance
      FROM g_act a, generate_series(1, a.n) s`);
    for (const [instrument, scale, value, band, risk] of [
      [
        'phq9',
        'total',
        'y',
        `CASE WHEN y < 5 THEN 'minimal' WHEN y < 10 THEN 'mild' WHEN y < 15 THEN 'moderate' WHEN y < 20 THEN 'moderately-severe' ELSE 'severe' END`,
        'kind = 5 AND s = n',
      ],
      ['spiegel-alliance', 'alliance', 'alliance', 'NULL', 'false'],
    ]) {
      await client.query(
        `INSERT INTO responses (id, org_id, episode_id, participant_id, instrument_id, session_number, questionnaire_response, submitted_at)
        SELECT md5(episode_id::text || ':${instrument}:' || s)::uuid, $1, episode_id, participant_id, '${instrument}', s, '{}'::jsonb, at FROM g_am`,
        [orgId],
      );
      await client.query(
        `INSERT INTO scores (response_id, scale_id, org_id, episode_id, participant_id, therapist_id, instrument_id, session_number, value, band, risk, measured_at)
        SELECT md5(episode_id::text || ':${instrument}:' || s)::uuid, '${scale}', $1, episode_id, participant_id, $2, '${instrument}', s, ${value}, ${band}, ${risk}, at FROM g_am`,
        [orgId, caseloadTherapist],
      );
    }
    await client.query(
      `INSERT INTO invitations (org_id, episode_id, participant_id, token_hash, instrument_ids, lang, expires_at, session_number)
      SELECT $1, episode_id, participant_id, md5(random()::text) || md5(random()::text), ARRAY['phq9', 'spiegel-alliance'], 'nl', now() + interval '5 days', n + 1 FROM g_act WHERE i % 3 = 0`,
      [orgId],
    );
    await client.query(
      `INSERT INTO alerts (org_id, episode_id, rule, event_key, severity, reason)
      SELECT $1, episode_id, CASE kind WHEN 5 THEN 'risk' WHEN 4 THEN 'alliance_low' ELSE 'not_on_track' END, 'bench:' || n, CASE kind WHEN 5 THEN 'urgent' ELSE 'warning' END,
             '{"nl": "Synthetisch signaal (benchmark).", "en": "Synthetic alert (benchmark).", "suggestions": []}'::jsonb
      FROM g_act WHERE kind IN (1, 2, 4, 5)`,
      [orgId],
    );
    await client.query(`SET session_replication_role = origin`);
    log('  ANALYZE…');
    await client.query('ANALYZE');
    const c = await client.query<{ phq9: string; responses: string; completed: string; active: string }>(
      `SELECT
      (SELECT count(*) FROM scores s JOIN episodes e ON e.id = s.episode_id WHERE s.org_id = $1 AND s.instrument_id = 'phq9' AND s.scale_id = 'total' AND e.status = 'completed') AS phq9,
      (SELECT count(*) FROM responses WHERE org_id = $1) AS responses,
      (SELECT count(*) FROM episodes WHERE org_id = $1 AND status = 'completed') AS completed,
      (SELECT count(*) FROM episodes WHERE org_id = $1 AND status = 'active') AS active`,
      [orgId],
    );
    const counts = {
      phq9Scores: Number(c.rows[0].phq9),
      responses: Number(c.rows[0].responses),
      completedEpisodes: Number(c.rows[0].completed),
      activeEpisodes: Number(c.rows[0].active),
    };
    await client.query(`UPDATE organisations SET settings = settings || $2::jsonb WHERE id = $1`, [
      orgId,
      JSON.stringify({ benchGenerator: params, benchCounts: counts }),
    ]);
    await client.query('CHECKPOINT');
    return { orgId, counts };
  });
  const generatedSeconds = (performance.now() - t0) / 1000;
  log(`generated in ${generatedSeconds.toFixed(0)} s: ${JSON.stringify(counts)}`);
  return { url, orgId, params, counts, generatedSeconds };
}
