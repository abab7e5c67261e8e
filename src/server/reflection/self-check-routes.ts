import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from '../access.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { isInterval } from '../../domain/reflection/schedule.ts';
import { formatDate } from '../../domain/reflection/format.ts';
import {
  isModuleId,
  MODULE_IDS,
  mergeModuleAnswers,
  moduleById,
  parseModuleForm,
  type FieldError,
  type ModuleId,
} from '../../domain/reflection/self-check.ts';
import type { Answers } from '../../domain/reflection/types.ts';
import { html } from '../../web/html.ts';
import {
  completeCheck,
  deleteCheck,
  getInterval,
  listChecks,
  readCheck,
  saveAnswers,
  setInterval,
  startCheck,
} from '../../store/reflection-checks.ts';
import { listSupervisors, sharesOfItem } from '../../store/reflection-shares.ts';
import { actorOf, scoreAnswers, type ReflectionContext } from './context.ts';
import { reminderHtml, reflectionLayout } from './page.ts';
import { sendPage } from '../pages.ts';
import { ownerReport } from './report-data.ts';
import { reportHtml } from './report-html.ts';
import { reportPdf } from './report-pdf.ts';
import { anyForm, csrfOnly, idParams, langQuery } from './schemas.ts';
import { draftBody, moduleBody, overviewBody } from './self-check-pages.ts';
import { sharingPanel } from './sharing-html.ts';
import { rt } from './texts.ts';

/** The periodic self-check: overview and schedule, module forms, completion, report and PDF. */

export const OWN_SELF_CHECK: Access = { kind: 'own', roles: ['therapist'], resource: 'self-check' };
const moduleParams = {
  type: 'object',
  required: ['id', 'module'],
  properties: { id: { type: 'string', maxLength: 64 }, module: { type: 'string', enum: [...MODULE_IDS] } },
} as const;

export function registerSelfCheckRoutes(app: FastifyInstance, ctx: ReflectionContext): void {
  const { db } = app.ctx.store;
  const config = { access: OWN_SELF_CHECK };

  app.get('/app/self-check', { schema: { hide: true, querystring: langQuery }, config }, async (request, reply) => {
    const actor = actorOf(request);
    const [checks, interval, reminder] = await Promise.all([
      listChecks(db, actor),
      getInterval(db, actor),
      reminderHtml(db, actor, request.lang, { link: false }),
    ]);
    return sendPage(request, reply, {
      title: rt(request.lang, 'check.title'),
      layout: reflectionLayout(request, 'selfcheck'),
      body: overviewBody(reply, request.lang, { reminder, interval, checks }),
    });
  });

  app.post<{ Body: { interval?: string } }>(
    '/app/self-check/settings',
    {
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['interval'],
          properties: { interval: { type: 'string', maxLength: 3 }, _csrf: { type: 'string' } },
        },
      },
      config: { access: { kind: 'own', roles: ['therapist'], resource: 'reflection-settings' } },
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      const months = Number(request.body.interval);
      if (!isInterval(months))
        throw new SpiegelError('VALIDATION_FAILED', 'The interval must be 3, 6 or 12 months.', { field: 'interval' });
      await setInterval(db, actorOf(request), months);
      return reply.redirect('/app/self-check', 303);
    },
  );

  app.post(
    '/app/self-check',
    { schema: { hide: true, body: csrfOnly }, config, preValidation: app.csrfProtection },
    async (request, reply) => {
      const id = await startCheck(db, ctx.own(request), actorOf(request));
      return reply.redirect(`/app/self-check/${id}`, 303);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>(
    '/app/self-check/:id',
    {
      schema: {
        hide: true,
        params: idParams,
        querystring: {
          type: 'object',
          properties: { saved: { type: 'string', maxLength: 1 }, lang: { type: 'string', enum: ['nl', 'en'] } },
        },
      },
      config,
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const lang = request.lang;
      const record = await readCheck(db, ctx.own(request), actor, request.params.id);
      if (record.status === 'draft') {
        return sendPage(request, reply, {
          title: rt(lang, 'check.title'),
          layout: reflectionLayout(request, 'selfcheck'),
          body: draftBody(reply, lang, {
            id: record.id,
            startedAt: record.startedAt,
            modules: ctx.modules,
            answers: record.payload.answers,
            saved: request.query.saved === '1',
          }),
        });
      }
      const [model, supervisors, sharing] = await Promise.all([
        ownerReport(db, ctx, ctx.own(request), actor, record),
        listSupervisors(db, actor),
        sharesOfItem(db, ctx.keyring, actor, 'self_check', record.id),
      ]);
      const panel = sharingPanel(reply, lang, {
        itemType: 'self_check',
        itemId: record.id,
        returnTo: `/app/self-check/${record.id}`,
        supervisors,
        ...sharing,
      });
      const title = rt(lang, 'report.title', { date: formatDate(record.completedAt ?? record.startedAt, lang) });
      return sendPage(request, reply, {
        title,
        layout: reflectionLayout(request, 'selfcheck'),
        body: html`${reportHtml(model, lang, `/app/self-check/${record.id}/pdf`)}${panel}`,
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/app/self-check/:id/pdf',
    { schema: { hide: true, params: idParams, querystring: langQuery }, config },
    async (request, reply) => {
      const actor = actorOf(request);
      const record = await readCheck(
        db,
        ctx.own(request),
        actor,
        request.params.id,
        'reflection.self_check.export_pdf',
      );
      if (record.status !== 'completed') throw new SpiegelError('NOT_FOUND');
      const pdf = await reportPdf(
        await ownerReport(db, ctx, ctx.own(request), actor, record),
        request.lang,
        request.staff!.displayName,
      );
      const date = (record.completedAt ?? record.startedAt).toISOString().slice(0, 10);
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="spiegel-zelfcheck-${date}.pdf"`)
        .send(pdf);
    },
  );

  const renderModule = (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    moduleId: ModuleId,
    answers: Answers,
    errors: FieldError[],
  ) => {
    const module = moduleById(ctx.modules, moduleId);
    const lang = request.lang;
    return sendPage(request, reply, {
      title: module.title[lang],
      layout: reflectionLayout(request, 'selfcheck'),
      status: errors.length ? 400 : 200,
      body: moduleBody(reply, lang, {
        id,
        module,
        answers,
        errors,
        isLast: moduleId === MODULE_IDS[MODULE_IDS.length - 1],
      }),
    });
  };

  app.get<{ Params: { id: string; module: string } }>(
    '/app/self-check/:id/:module',
    { schema: { hide: true, params: moduleParams, querystring: langQuery }, config },
    async (request, reply) => {
      const record = await readCheck(db, ctx.own(request), actorOf(request), request.params.id);
      if (record.status !== 'draft') return reply.redirect(`/app/self-check/${record.id}`, 303);
      if (!isModuleId(request.params.module)) throw new SpiegelError('NOT_FOUND');
      return renderModule(request, reply, record.id, request.params.module, record.payload.answers, []);
    },
  );

  app.post<{ Params: { id: string; module: string }; Body: Record<string, unknown> }>(
    '/app/self-check/:id/:module',
    { schema: { hide: true, params: moduleParams, body: anyForm }, config, preValidation: app.csrfProtection },
    async (request, reply) => {
      const actor = actorOf(request);
      const moduleId = request.params.module;
      if (!isModuleId(moduleId)) throw new SpiegelError('NOT_FOUND');
      const record = await readCheck(db, ctx.own(request), actor, request.params.id);
      if (record.status !== 'draft')
        throw new SpiegelError('VALIDATION_FAILED', 'A completed check-up cannot be changed; start a new one.');
      const module = moduleById(ctx.modules, moduleId);
      const { answers, errors } = parseModuleForm(module, request.body);
      const merged = mergeModuleAnswers(record.payload.answers, module, answers);
      if (errors.length) return renderModule(request, reply, record.id, moduleId, merged, errors);
      await saveAnswers(db, ctx.own(request), actor, record.id, merged, moduleId);
      const next = MODULE_IDS[MODULE_IDS.indexOf(moduleId) + 1];
      return reply.redirect(
        next ? `/app/self-check/${record.id}/${next}` : `/app/self-check/${record.id}?saved=1`,
        303,
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    '/app/self-check/:id/complete',
    { schema: { hide: true, params: idParams, body: csrfOnly }, config, preValidation: app.csrfProtection },
    async (request, reply) => {
      const actor = actorOf(request);
      const record = await readCheck(db, ctx.own(request), actor, request.params.id);
      if (record.status !== 'draft') return reply.redirect(`/app/self-check/${record.id}`, 303);
      await completeCheck(db, ctx.own(request), actor, record.id, {
        answers: record.payload.answers,
        scores: scoreAnswers(ctx, record.payload.answers),
      });
      return reply.redirect(`/app/self-check/${record.id}`, 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/app/self-check/:id/delete',
    { schema: { hide: true, params: idParams, body: csrfOnly }, config, preValidation: app.csrfProtection },
    async (request, reply) => {
      await deleteCheck(db, actorOf(request), request.params.id);
      return reply.redirect('/app/self-check', 303);
    },
  );
}
