import type { Kysely } from 'kysely';
import type { Keyring } from '../../store/reflection-crypto.ts';
import { buildReport, type CheckSnapshot, type ReportModel } from '../../domain/reflection/report.ts';
import type { MeasuredEffectiveness } from '../../domain/reflection/self-view.ts';
import type { Gender } from '../../domain/reflection/types.ts';
import { previousCompleted, type CheckRecord } from '../../store/reflection-checks.ts';
import type { Actor } from '../../store/reflection-common.ts';
import { minutesLogged } from '../../store/reflection-practice.ts';
import type { Database } from '../../store/schema.ts';
import { genderOf, measuredEffectiveness, scoreAnswers, type ReflectionContext } from './context.ts';

/** Assembles the report model of one check-up (the owner's, or one shared with a supervisor). */

function snapshot(
  ctx: ReflectionContext,
  record: { id: string; startedAt: Date; completedAt: Date | null; payload: CheckRecord['payload'] },
): CheckSnapshot {
  // Completed check-ups keep the scores of their moment; a draft is scored live.
  const scores = record.payload.scores ?? scoreAnswers(ctx, record.payload.answers);
  return {
    id: record.id,
    startedAt: record.startedAt,
    completedAt: record.completedAt,
    answers: record.payload.answers,
    tears: scores.tears,
    brs: scores.brs,
  };
}

export async function ownerReport(
  db: Kysely<Database>,
  ctx: ReflectionContext,
  keyring: Keyring,
  actor: Actor,
  record: CheckRecord,
): Promise<ReportModel> {
  const until = record.completedAt ?? new Date();
  const previous = await previousCompleted(db, keyring, actor, until);
  const [gender, measured, minutes] = await Promise.all([
    genderOf(db, actor),
    measuredEffectiveness(db, actor),
    minutesLogged(db, actor, previous?.completedAt ?? null, until),
  ]);
  return buildReport({
    current: snapshot(ctx, record),
    previous: previous ? snapshot(ctx, previous) : null,
    modules: ctx.modules,
    gender,
    brsInstalled: ctx.brs !== null,
    measured,
    loggedPracticeMinutes: minutes,
  });
}

/**
 * The report of a check-up shared with a supervisor: only that one check-up is shared, so there is no
 * comparison with earlier ones (those were not shared), no logged practice and no measured mirror.
 */
export function sharedReport(
  ctx: ReflectionContext,
  record: { id: string; startedAt: Date; completedAt: Date | null; payload: CheckRecord['payload'] },
  gender: Gender,
  measured: MeasuredEffectiveness | null = null,
): ReportModel {
  return buildReport({
    current: snapshot(ctx, record),
    previous: null,
    modules: ctx.modules,
    gender,
    brsInstalled: ctx.brs !== null,
    measured,
    loggedPracticeMinutes: null,
  });
}
