import type { Command } from '../command.ts';
import { parseArgs, wantsHelp } from '../command.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { formatText, parseReference, parseTheta, therapistEffects } from '../analyze/therapist-effects.ts';
import { therapistEffectsFromDb } from '../analyze/db.ts';

const help = `Usage: spiegel analyze therapist-effects --input FILE.csv[.gz] --formula "<formula>" [options]

Fits a linear mixed model by REML (default) or ML from per-group sufficient statistics,
checked against lme4. Supported formulas (fixed part with + * : and parentheses; text columns are
factors with treatment contrasts, as in R; \`quoted name\` for a column name with spaces):
  post ~ intake_c + age_c + female + (1 | therapist)
  post ~ \`intake score\` * treatment + (1 | therapist)       (treatment: a text column)
  score ~ session + (1 | therapist/patient)
  score ~ session * intake_c + (1 + session | patient) + (1 | therapist)
  score ~ session + (1 | patient) + (1 | therapist)
  score ~ session * intake_c + (1 + session | patient)

Or, over the organisation's own data (heavy pass in SQL; stores the run that the therapists'
private mirrors read; prints the aggregate only, never per-therapist estimates):
  spiegel analyze therapist-effects --db [--org SLUG] [--instrument ID] [--json]

Options:
  --db                  use the organisation's data in DATABASE_URL / SPIEGEL_DATA_DIR
  --org SLUG            the organisation (needed when there is more than one)
  --instrument ID       outcome instrument (default phq9)
  --input FILE          CSV with a header row (.csv or .csv.gz)
  --formula F           lme4-style model formula (quote it)
  --reml | --ml         estimation method (default --reml)
  --factor A,B          read these columns as factors even when their values are numbers
  --reference A=L,...   reference level L of factor A (as R's relevel; default: first in sorted order)
  --patient-eb          growth models: add patient-level EB (conditional modes) with conditional SDs
  --icc-profile         growth models with a therapist level: profile-likelihood 95% interval of the ICC
  --criterion-at T,...  evaluate the criterion at θ (lme4's convention) without optimising
  --json                print JSON with the fields of reference/mixed/reference.json
  --help                show this help

Output (JSON): formula, method, n_obs, n_groups, reml_criterion (or deviance with --ml), theta, sigma,
fixed[{term, estimate, se}], varcomp, icc, icc_profile_ci95, therapist_eb[{therapist, blup, cond_sd, n}],
patient_eb[{patient, intercept, slope, cond_sd_intercept, cond_sd_slope, cond_cov}] (with --patient-eb),
logLik, AIC, BIC, iterations, converged, convergence, seconds.`;

const known = new Set([
  'input',
  'formula',
  'reml',
  'ml',
  'criterion-at',
  'json',
  'help',
  'db',
  'org',
  'instrument',
  'factor',
  'reference',
  'patient-eb',
  'icc-profile',
]);

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'Statistical analyses (therapist-effects: mixed models checked against lme4)',
  help,
  async run(args: string[]): Promise<number> {
    if (wantsHelp(args) || args.length === 0) {
      process.stdout.write(help + '\n');
      return args.length === 0 ? 2 : 0;
    }
    const { flags, positionals } = parseArgs(args, ['reml', 'ml', 'json', 'db', 'patient-eb', 'icc-profile']);
    const [sub, ...extra] = positionals;
    if (sub !== 'therapist-effects')
      throw new SpiegelError('USAGE', `unknown analysis '${sub ?? ''}'; available: therapist-effects (see --help)`);
    if (extra.length > 0) throw new SpiegelError('USAGE', `unexpected argument '${extra[0]}'`);
    for (const name of Object.keys(flags))
      if (!known.has(name)) throw new SpiegelError('USAGE', `unknown option --${name}`);
    if (flags.db) {
      if (flags.input || flags.formula)
        throw new SpiegelError(
          'USAGE',
          "--db uses the organisation's data and the fixed model; leave out --input and --formula",
        );
      const out = await therapistEffectsFromDb({
        org: typeof flags.org === 'string' ? flags.org : undefined,
        instrument: typeof flags.instrument === 'string' ? flags.instrument : undefined,
        progress: (line) => process.stderr.write(line + '\n'),
      });
      process.stdout.write(
        (flags.json
          ? JSON.stringify(out, null, 2)
          : `ICC ${(out.icc * 100).toFixed(1)}% (95% profile CI ${out.icc_profile_ci95?.map((v) => (v * 100).toFixed(1) + '%').join(' – ') ?? 'n/a'}), ${out.episodes} episodes, ${out.therapists} therapists`) +
          '\n',
      );
      return 0;
    }
    const input = flags.input;
    const formula = flags.formula;
    if (typeof input !== 'string') throw new SpiegelError('USAGE', '--input FILE is required');
    if (typeof formula !== 'string') throw new SpiegelError('USAGE', '--formula "<formula>" is required');
    if (flags.reml && flags.ml) throw new SpiegelError('USAGE', 'choose one of --reml and --ml');
    const at = flags['criterion-at'];
    if (at === true) throw new SpiegelError('USAGE', '--criterion-at needs comma-separated θ values');
    for (const name of ['factor', 'reference'])
      if (flags[name] === true) throw new SpiegelError('USAGE', `--${name} needs a value (see --help)`);
    const out = await therapistEffects({
      factors: typeof flags.factor === 'string' ? flags.factor.split(',').map((v) => v.trim()) : undefined,
      reference: typeof flags.reference === 'string' ? parseReference(flags.reference) : undefined,
      patientEb: flags['patient-eb'] === true,
      iccProfile: flags['icc-profile'] === true,
      input,
      formula,
      method: flags.ml ? 'ML' : 'REML',
      criterionAt: typeof at === 'string' ? parseTheta(at) : null,
    });
    process.stdout.write((flags.json ? JSON.stringify(out, null, 2) : formatText(out)) + '\n');
    return 0;
  },
};
