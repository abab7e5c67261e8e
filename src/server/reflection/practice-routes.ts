import type { FastifyInstance } from 'fastify';
import { monthlyImprovement } from '../../domain/reflection/outcome-trend.ts';
import { parseGoal, parseLog, weeklyTotals, windowStart } from '../../domain/reflection/practice.ts';
import type { Actor } from '../../store/reflection-common.ts';
import {
  archiveGoal,
  createGoal,
  listGoals,
  listLogs,
  logPractice,
  ownScoreSeries,
  readGoal,
} from '../../store/reflection-practice.ts';
import { listSupervisors, sharesOfItem } from '../../store/reflection-shares.ts';
import { html } from '../../web/html.ts';
import type { Access } from '../access.ts';
import { shippedInstruments } from '../../store/instrument-registry.ts';
import { actorOf, type ReflectionContext } from './context.ts';
import { reminderHtml, reflectionLayout } from './page.ts';
import { sendPage } from '../pages.ts';
import { goalBody, practiceBody } from './practice-pages.ts';
import { anyForm, csrfOnly, idParams, langQuery } from './schemas.ts';
import { sharingPanel } from './sharing-html.ts';
import { jt } from './texts-more.ts';

/** Deliberate practice: goals, the practice log, the weekly chart and the outcome trend. */

export const OWN_PRACTICE: Access = { kind: 'own', roles: ['therapist'], resource: 'practice-goal' };

/** Today in Amsterdam (the default time zone), as yyyy-mm-dd. */
export function today(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export function registerPracticeRoutes(app: FastifyInstance, ctx: ReflectionContext): void {
  const { db } = app.ctx.store;
  const config = { access: OWN_PRACTICE };

  const trendFor = async (actor: Actor, day: string) => {
    const from = windowStart(day, 6);
    const series = await ownScoreSeries(db, actor, new Date(`${from}T00:00:00Z`));
    if (!series) return null;
    // Most outcome scales count symptoms (higher is worse); the instrument's declared direction decides.
    const higherIsWorse = directionOf(app, series.instrumentId, series.scaleId) !== 'higher-is-better';
    return {
      instrumentId: series.instrumentId,
      scaleId: series.scaleId,
      months: monthlyImprovement(series.points, higherIsWorse, from.slice(0, 7), day.slice(0, 7)),
    };
  };

  app.get('/app/practice', { schema: { hide: true, querystring: langQuery }, config }, async (request, reply) => {
    const actor = actorOf(request);
    const day = today();
    const [goals, logs, reminder, trend] = await Promise.all([
      listGoals(db, ctx.own(request), actor),
      listLogs(db, ctx.own(request), actor, { from: windowStart(day, 7) }),
      reminderHtml(db, actor, request.lang),
      trendFor(actor, day),
    ]);
    const weeks = weeklyTotals(logs, day);
    return sendPage(request, reply, {
      title: jt(request.lang, 'practice.title'),
      layout: reflectionLayout(request, 'practice'),
      body: practiceBody(reply, request.lang, { goals, logs, weeks, trend, today: day, reminder }),
    });
  });

  app.post<{ Body: Record<string, unknown> }>(
    '/app/practice/goals',
    { schema: { hide: true, body: anyForm }, config, preValidation: app.csrfProtection },
    async (request, reply) => {
      const { skill, content } = parseGoal(request.body);
      const id = await createGoal(db, ctx.own(request), actorOf(request), skill, content);
      return reply.redirect(`/app/practice/goals/${id}`, 303);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/app/practice/goals/:id',
    { schema: { hide: true, params: idParams, querystring: langQuery }, config },
    async (request, reply) => {
      const actor = actorOf(request);
      const goal = await readGoal(db, ctx.own(request), actor, request.params.id);
      const [logs, supervisors, sharing] = await Promise.all([
        listLogs(db, ctx.own(request), actor, { goalId: goal.id }),
        listSupervisors(db, actor),
        sharesOfItem(db, ctx.keyring, actor, 'practice_goal', goal.id),
      ]);
      const lang = request.lang;
      const body = html`${goalBody(reply, lang, goal, logs)}${sharingPanel(reply, lang, { itemType: 'practice_goal', itemId: goal.id, returnTo: `/app/practice/goals/${goal.id}`, supervisors, ...sharing })}`;
      return sendPage(request, reply, {
        title: goal.content.title,
        layout: reflectionLayout(request, 'practice'),
        body,
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/app/practice/goals/:id/archive',
    { schema: { hide: true, params: idParams, body: csrfOnly }, config, preValidation: app.csrfProtection },
    async (request, reply) => {
      await archiveGoal(db, actorOf(request), request.params.id);
      return reply.redirect(`/app/practice/goals/${request.params.id}`, 303);
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/app/practice/logs',
    { schema: { hide: true, body: anyForm }, config, preValidation: app.csrfProtection },
    async (request, reply) => {
      await logPractice(db, ctx.own(request), actorOf(request), parseLog(request.body, today()));
      return reply.redirect('/app/practice', 303);
    },
  );
}

/** The direction of a scale from the shipped instrument library (null when unknown). */
function directionOf(app: FastifyInstance, instrumentId: string, scaleId: string): string | null {
  try {
    const registry = app.ctx.instruments ?? shippedInstruments();
    if (!registry.has(instrumentId)) return null;
    return registry.get(instrumentId).spec?.scales.find((s) => s.id === scaleId)?.direction ?? null;
  } catch {
    return null;
  }
}
