import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { CompiledScorer } from '../../domain/instruments/index.ts';
import { tearsScaleScores } from '../../domain/reflection/norms.ts';
import {
  groupsFromQuestionnaire,
  itemsFromQuestionnaire,
  questionnaireResponseFor,
} from '../../domain/reflection/questionnaire-items.ts';
import { selfCheckModules, type ModuleDefinition } from '../../domain/reflection/self-check.ts';
import type { MeasuredEffectiveness } from '../../domain/reflection/self-view.ts';
import { TEARS_INSTRUMENT_ID } from '../../domain/reflection/tears.ts';
import type { Answers, Gender } from '../../domain/reflection/types.ts';
import type { CheckPayload } from '../../store/reflection-checks.ts';
import type { Actor } from '../../store/reflection-common.ts';
import type { Keyring } from '../../store/reflection-crypto.ts';
import type { Database } from '../../store/schema.ts';
import { shippedInstruments } from '../../store/instrument-registry.ts';
import { ownKeys } from '../journal-key.ts';

/**
 * What every reflection route needs: the keyrings, the instruments and the module definitions. `keyring`
 * is the instance keyring (supervisors' copies, comments); `own(request)` is the signed-in owner's
 * keyring for their own reflections (decision 0035), and `keys(request)` both.
 */
export interface ReflectionContext {
  keyring: Keyring;
  own(request: FastifyRequest): Keyring;
  keys(request: FastifyRequest): { owner: Keyring; instance: Keyring };
  tears: CompiledScorer | null;
  brs: CompiledScorer | null;
  modules: ModuleDefinition[];
}

export const BRS_INSTRUMENT_ID = 'brs';

export function buildReflectionContext(app: FastifyInstance, keyring: Keyring): ReflectionContext {
  let tears: CompiledScorer | null = null;
  let brs: CompiledScorer | null = null;
  try {
    // The app's own registry (shipped instruments, loaded once at start).
    const registry = app.ctx.instruments ?? shippedInstruments();
    tears = registry.has(TEARS_INSTRUMENT_ID) ? registry.get(TEARS_INSTRUMENT_ID) : null;
    brs = registry.has(BRS_INSTRUMENT_ID) ? registry.get(BRS_INSTRUMENT_ID) : null;
  } catch (error) {
    app.log.error(
      { err: error },
      'reflection: the shipped instruments could not be loaded; the self-check runs without them',
    );
  }
  const modules = selfCheckModules({
    tears: tears
      ? {
          instrumentId: TEARS_INSTRUMENT_ID,
          groups: groupsFromQuestionnaire(tears.questionnaire, tears.spec),
          copyright: copyrightToShow(tears),
        }
      : null,
    brs: brs
      ? {
          instrumentId: BRS_INSTRUMENT_ID,
          items: itemsFromQuestionnaire(brs.questionnaire, brs.spec),
          copyright: copyrightToShow(brs),
        }
      : null,
  });
  const keys = (request: FastifyRequest) => ownKeys(app, request, keyring);
  return { keyring, own: (request) => keys(request).owner, keys, tears, brs, modules };
}

/** The copyright line, when the instrument's licence asks to show it on the form. */
function copyrightToShow(scorer: CompiledScorer): string | null {
  return scorer.spec?.licence?.showCopyrightOnForm && scorer.questionnaire.copyright
    ? scorer.questionnaire.copyright
    : null;
}

/** The scores a completed check-up keeps, by the instruments' own declared rules. */
export function scoreAnswers(ctx: ReflectionContext, answers: Answers): NonNullable<CheckPayload['scores']> {
  const tearsResult = ctx.tears ? ctx.tears.score(questionnaireResponseFor(ctx.tears.questionnaire, answers)) : null;
  const brsResult = ctx.brs ? ctx.brs.score(questionnaireResponseFor(ctx.brs.questionnaire, answers)) : null;
  return { tears: tearsScaleScores(tearsResult), brs: brsResult?.scales[0]?.value ?? null };
}

export function actorOf(request: FastifyRequest): Actor {
  const staff = request.staff!;
  return { orgId: staff.orgId, userId: staff.userId, roles: staff.roles, ip: request.ip };
}

export async function genderOf(db: Kysely<Database>, actor: Actor): Promise<Gender> {
  const row = await db
    .selectFrom('users')
    .select('gender')
    .where('id', '=', actor.userId)
    .where('org_id', '=', actor.orgId)
    .executeTakeFirst();
  return row?.gender ?? null;
}

type MeasuredProvider = (db: Kysely<Database>, actor: Actor) => Promise<MeasuredEffectiveness | null>;
let measuredProvider: MeasuredProvider = async () => null;

/**
 * Hook for the effectiveness mirror (therapist-effects analytics): once it can give a therapist's own
 * percentile or estimate, register a provider here and the self-check report sets it beside the
 * self-rating. Until then the report says "not available yet".
 */
export function setMeasuredEffectivenessProvider(provider: MeasuredProvider): void {
  measuredProvider = provider;
}

export function measuredEffectiveness(db: Kysely<Database>, actor: Actor): Promise<MeasuredEffectiveness | null> {
  return measuredProvider(db, actor);
}

export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store');
}
