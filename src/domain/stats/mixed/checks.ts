/** Identifiability checks before fitting (the same conditions lme4 refuses, with clearer words). */
import { SpiegelError } from '../../errors.ts';
import type { GrowthStats } from './growth-stats.ts';
import type { GrowthStructure } from './growth-model.ts';
import type { InterceptStats } from './intercept-stats.ts';

export function checkInterceptData(s: InterceptStats): void {
  const J = s.groupIds.length;
  const p = s.q - 1;
  if (s.nObs <= p)
    throw new SpiegelError('INSUFFICIENT_DATA', `${s.nObs} observations are too few for ${p} fixed effects`, {
      nObs: s.nObs,
      p,
    });
  if (J < 2)
    throw new SpiegelError('INSUFFICIENT_DATA', `at least 2 groups are needed for a random intercept, found ${J}`, {
      groups: J,
    });
  if (J >= s.nObs) {
    throw new SpiegelError(
      'INSUFFICIENT_DATA',
      `the number of groups (${J}) must be smaller than the number of observations (${s.nObs})`,
      { groups: J, nObs: s.nObs },
    );
  }
}

export function checkGrowthData(s: GrowthStats, st: GrowthStructure): void {
  const P = s.patientIds.length;
  const J = s.therapistIds.length;
  const p = s.q - 1;
  const N = s.nObs;
  if (N <= p)
    throw new SpiegelError('INSUFFICIENT_DATA', `${N} observations are too few for ${p} fixed effects`, { nObs: N, p });
  if (P < 2) throw new SpiegelError('INSUFFICIENT_DATA', `at least 2 patients are needed, found ${P}`, { patients: P });
  const perPatient = st.slope ? 2 : 1;
  if (N <= perPatient * P) {
    throw new SpiegelError(
      'INSUFFICIENT_DATA',
      `${N} observations do not exceed the ${perPatient * P} patient random effects; patients need more sessions`,
      {
        nObs: N,
        patients: P,
      },
    );
  }
  if (st.therapist && J < 2)
    throw new SpiegelError(
      'INSUFFICIENT_DATA',
      `at least 2 therapists are needed for a therapist random intercept, found ${J}`,
      { therapists: J },
    );
  if (st.slope) {
    let varies = false;
    for (let i = 0; i < P && !varies; i++)
      varies = s.stt[i] * s.n[i] - s.st[i] * s.st[i] > 1e-12 * Math.max(1, s.stt[i] * s.n[i]);
    if (!varies)
      throw new SpiegelError('INSUFFICIENT_DATA', 'the random-slope variable does not vary within any patient', {});
  }
}
