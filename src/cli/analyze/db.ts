import { loadConfig } from '../../config.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { effectHistogram, PRIMARY_OUTCOME, reportAllowed } from '../../domain/feedback/effects.ts';
import { openStore } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';
import { refitExpectedCourse } from '../../store/analytics/expected-course.ts';
import { latestEffects, runTherapistEffects } from '../../store/analytics/therapist-effects.ts';

/**
 * `analyze therapist-effects --db`: the organisation's own data, heavy pass in SQL. It stores the run
 * (the therapists' private mirrors read it) and prints the aggregate only: Spiegel never exports
 * per-therapist estimates.
 */
export async function therapistEffectsFromDb(options: {
  org?: string;
  instrument?: string;
  progress: (line: string) => void;
}) {
  const config = loadConfig();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    await migrate(store.db);
    const orgs = await store.db.selectFrom('organisations').select(['id', 'slug']).execute();
    const org = options.org ? orgs.find((o) => o.slug === options.org) : orgs.length === 1 ? orgs[0] : undefined;
    if (!org)
      throw new SpiegelError(
        'USAGE',
        options.org
          ? `no organisation with slug '${options.org}'`
          : `name the organisation with --org (one of: ${orgs.map((o) => o.slug).join(', ') || 'none'})`,
      );
    const instrumentId = options.instrument ?? PRIMARY_OUTCOME.instrumentId;
    const started = performance.now();
    const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
    options.progress(`[1/3] expected course for ${instrumentId}: SQL heavy pass and growth-model fit…`);
    const course = await refitExpectedCourse(store.db, org.id, instrumentId, PRIMARY_OUTCOME.scaleId);
    options.progress(`      ${course.status === 'done' ? 'done' : `skipped: ${course.reason}`} (${elapsed()})`);
    options.progress(`[2/3] therapist effects: SQL heavy pass per episode and per therapist, REML fit, strata…`);
    await runTherapistEffects(store.db, org.id, instrumentId, PRIMARY_OUTCOME.scaleId, PRIMARY_OUTCOME.direction);
    options.progress(`[3/3] stored the runs (${elapsed()})`);
    const summary = await latestEffects(store.db, org.id, instrumentId);
    if (!summary)
      throw new SpiegelError('INSUFFICIENT_DATA', 'Not enough completed episodes for a therapist-effects analysis.');
    return {
      organisation: org.slug,
      instrument: instrumentId,
      model: 'post ~ intake_c + (1 | therapist), REML, completed individual episodes',
      episodes: summary.episodes,
      therapists: summary.therapists,
      eligible_therapists: summary.eligibleTherapists,
      report_allowed: reportAllowed(summary),
      fixed: summary.fixed,
      varcomp: summary.varcomp,
      icc: summary.icc,
      icc_profile_ci95: summary.iccCi95,
      distribution: reportAllowed(summary) ? effectHistogram(summary.estimates.map((e) => e.effect)) : null,
      converged: summary.converged,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await store.close();
  }
}
