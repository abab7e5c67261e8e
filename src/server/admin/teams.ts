import { SpiegelError } from '../../domain/errors.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../../store/audit.ts';
import { createTeam, deleteTeam, listTeams, updateTeam } from '../../store/dashboards/teams.ts';
import type { Role } from '../../store/schema.ts';
import { html } from '../../web/html.ts';
import { isFormPost, sendPage } from '../pages.ts';
import { orgText } from './org-texts.ts';

// Teams (or locations): the organisation's structure for the manager dashboards. Admins create,
// rename and delete teams and choose their therapists; every change is audited with before and after.

const ADMIN = { access: { kind: 'staff' as const, roles: ['admin' as Role] } };
const ID = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] };

async function teamsPage(request: FastifyRequest, reply: FastifyReply, notice: string | null) {
  const db = request.server.ctx.store.db;
  const orgId = request.staff!.orgId;
  const t = (key: Parameters<typeof orgText>[1], params?: Record<string, string | number>) =>
    orgText(request.lang, key, params);
  const teams = await listTeams(db, orgId);
  const therapists = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('org_id', '=', orgId)
    .where('active', '=', true)
    .where((eb) => eb(eb.val('therapist'), '=', eb.fn.any('roles')))
    .orderBy('display_name')
    .execute();
  const csrf = reply.generateCsrf();
  const body = html`<h1>${t('teams.title')}</h1>
    <p>${t('teams.help')}</p>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
    ${teams.length === 0 ? html`<p>${t('teams.none')}</p>` : null}
    ${teams.map(
      (team, n) =>
        html`<form method="post" action="/app/admin/teams/${team.id}" class="card" data-testid="team-form">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <label for="name-${n}">${t('teams.name')}</label>
            <input id="name-${n}" name="name" type="text" maxlength="80" required value="${team.name}" />
            <fieldset>
              <legend>${t('teams.members', { name: team.name })}</legend>
              ${therapists.map(
                (th, i) =>
                  html`<label class="check"
                    ><input
                      type="checkbox"
                      name="members"
                      value="${th.id}"
                      id="m-${n}-${i}"
                      ${team.memberIds.includes(th.id) ? html`checked` : null}
                    />
                    ${th.display_name}</label
                  >`,
              )}
            </fieldset>
            <p><button type="submit">${orgText(request.lang, 'save')}</button></p>
          </form>
          <form method="post" action="/app/admin/teams/${team.id}/delete" class="no-print">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <button type="submit" class="secondary">${t('teams.delete')}: ${team.name}</button>
          </form>`,
    )}
    <form method="post" action="/app/admin/teams" class="card">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <label for="new-team">${t('teams.new')}</label>
      <input id="new-team" name="name" type="text" maxlength="80" required />
      <p><button type="submit">${t('teams.add')}</button></p>
    </form>`;
  return sendPage(request, reply, { title: t('teams.title'), body, path: '/app/admin/teams' });
}

export function registerTeamRoutes(app: FastifyInstance): void {
  const db = () => app.ctx.store.db;
  const audit = (request: FastifyRequest, action: string, subjectId: string, details: Record<string, unknown>) =>
    appendAudit(db(), {
      orgId: request.staff!.orgId,
      actorId: request.staff!.userId,
      actorRole: request.staff!.roles.join(','),
      action,
      subjectType: 'team',
      subjectId,
      ip: request.ip,
      outcome: 'ok',
      details,
    });
  const done = (request: FastifyRequest, reply: FastifyReply, result: unknown) =>
    isFormPost(request) ? teamsPage(request, reply, orgText(request.lang, 'saved')) : reply.send({ ok: true, result });

  app.get('/app/admin/teams', { schema: { hide: true }, config: ADMIN }, (request, reply) =>
    teamsPage(request, reply, null),
  );

  app.post<{ Body: { name: string } }>(
    '/app/admin/teams',
    {
      schema: {
        hide: true,
        body: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 200 } } },
      },
      config: ADMIN,
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      // A lone UTF-16 surrogate cannot be stored as text: refuse it as bad input.
      if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(request.body.name))
        throw new SpiegelError('VALIDATION_FAILED', 'The name contains an invalid character.');
      const id = await createTeam(db(), request.staff!.orgId, request.body.name);
      await audit(request, 'team.create', id, { to: { name: request.body.name.trim(), memberIds: [] } });
      return done(request, reply, { id });
    },
  );

  app.post<{ Params: { id: string }; Body: { name: string; members?: string | string[] } }>(
    '/app/admin/teams/:id',
    {
      schema: {
        hide: true,
        params: ID,
        body: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', maxLength: 200 },
            members: {
              anyOf: [
                { type: 'string', format: 'uuid' },
                { type: 'array', maxItems: 1000, items: { type: 'string', format: 'uuid' } },
              ],
            },
          },
        },
      },
      config: ADMIN,
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      const members = request.body.members === undefined ? [] : [request.body.members].flat();
      const result = await db()
        .transaction()
        .execute((trx) =>
          updateTeam(trx, request.staff!.orgId, request.params.id, { name: request.body.name, memberIds: members }),
        );
      await audit(request, 'team.update', request.params.id, { from: result.before, to: result.after });
      return done(request, reply, result.after);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/app/admin/teams/:id/delete',
    { schema: { hide: true, params: ID }, config: ADMIN, preValidation: app.csrfProtection },
    async (request, reply) => {
      const before = await db()
        .transaction()
        .execute((trx) => deleteTeam(trx, request.staff!.orgId, request.params.id));
      await audit(request, 'team.delete', request.params.id, { from: before });
      return done(request, reply, null);
    },
  );
}
