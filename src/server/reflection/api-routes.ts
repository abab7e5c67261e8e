import { Answer, ListAnswer, responses } from '../api-schemas.ts';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { weeklyTotals, windowStart } from '../../domain/reflection/practice.ts';
import { reminder } from '../../domain/reflection/schedule.ts';
import { readCheck, scheduleFacts } from '../../store/reflection-checks.ts';
import { searchEntries } from '../../store/reflection-journal.ts';
import { listLogs } from '../../store/reflection-practice.ts';
import {} from '../../store/reflection-shares.ts';
import { sharedWithMe } from '../../store/reflection-shared-view.ts';
import { actorOf, noStore, type ReflectionContext } from './context.ts';
import { today } from './practice-routes.ts';
import { ownerReport } from './report-data.ts';
import { idParams } from './schemas.ts';
import { OWN_JOURNAL } from './journal-routes.ts';
import { OWN_PRACTICE } from './practice-routes.ts';
import { OWN_SELF_CHECK } from './self-check-routes.ts';
import { SHARED_ITEM } from './sharing-routes.ts';

/** JSON API of the reflection area, for the staff app and for other pages (the shell's reminder). */

export function registerReflectionApi(app: FastifyInstance, ctx: ReflectionContext): void {
  const { db } = app.ctx.store;
  const tags = ['reflection'];

  app.get(
    '/api/reflection/self-check/status',
    {
      schema: {
        tags,
        summary: 'When the caller’s next self-check is due (own schedule only).',
        response: responses({
          200: Answer('The caller’s self-check schedule', { intervalMonths: Type.Number(), status: Type.String() }),
        }),
      },
      config: { access: OWN_SELF_CHECK },
    },
    async (request, reply) => {
      const facts = await scheduleFacts(db, actorOf(request));
      return noStore(reply).send({ intervalMonths: facts.intervalMonths, ...reminder({ ...facts, now: new Date() }) });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/reflection/self-checks/:id/report',
    {
      schema: {
        tags,
        summary: 'The report model of one of the caller’s completed self-checks.',
        response: responses({ 200: Answer('The report model (scores, norms, changes) of the self-check') }),
        params: idParams,
      },
      config: { access: OWN_SELF_CHECK },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const record = await readCheck(db, ctx.own(request), actor, request.params.id);
      if (record.status !== 'completed') throw new SpiegelError('NOT_FOUND');
      return noStore(reply).send(await ownerReport(db, ctx, ctx.own(request), actor, record));
    },
  );

  app.get<{ Querystring: { q?: string; tag?: string } }>(
    '/api/reflection/journal',
    {
      schema: {
        tags,
        summary: 'The caller’s journal entries, searched in memory.',
        response: responses({
          200: ListAnswer(
            'The caller’s journal entries',
            'entries',
            'an entry: id, createdAt, updatedAt and its content',
          ),
        }),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { q: { type: 'string', maxLength: 200 }, tag: { type: 'string', maxLength: 40 } },
        },
      },
      config: { access: OWN_JOURNAL },
    },
    async (request, reply) => {
      const entries = await searchEntries(
        db,
        ctx.own(request),
        actorOf(request),
        request.query.q ?? '',
        request.query.tag || null,
      );
      return noStore(reply).send({
        entries: entries.map((e) => ({ id: e.id, createdAt: e.createdAt, updatedAt: e.updatedAt, ...e.content })),
      });
    },
  );

  app.get(
    '/api/reflection/practice/weekly',
    {
      schema: {
        tags,
        summary: 'The caller’s practice minutes per week (26 weeks).',
        response: responses({ 200: ListAnswer('Practice minutes per week, oldest first', 'weeks', 'one week') }),
      },
      config: { access: OWN_PRACTICE },
    },
    async (request, reply) => {
      const day = today();
      const logs = await listLogs(db, ctx.own(request), actorOf(request), { from: windowStart(day, 7) });
      return noStore(reply).send({ weeks: weeklyTotals(logs, day) });
    },
  );

  app.get(
    '/api/reflection/shared',
    {
      schema: {
        tags,
        summary: 'Items shared with the calling supervisor.',
        response: responses({
          200: ListAnswer(
            'Items shared with the caller',
            'items',
            'a shared item: shareId, owner, itemType, itemId, sharedAt, title',
          ),
        }),
      },
      config: { access: SHARED_ITEM },
    },
    async (request, reply) => {
      const items = await sharedWithMe(db, ctx.keyring, actorOf(request));
      return noStore(reply).send({
        items: items.map((s) => ({
          shareId: s.id,
          owner: s.ownerName,
          itemType: s.itemType,
          itemId: s.itemId,
          sharedAt: s.createdAt,
          title: s.item.type === 'self_check' ? null : s.item.content.title,
        })),
      });
    },
  );
}
