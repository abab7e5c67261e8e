import type { FastifyInstance } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { readCodebook, transcriptText } from '../../domain/qual/transcripts.ts';
import { html, inLanguage, type SafeHtml } from '../../web/html.ts';
import { formatNumber, type Lang } from '../../web/i18n.ts';
import { createProject, listMyProjects, mergeCodes, putDocument, setMember } from '../../store/qual/editing.ts';
import { loadProject } from '../../store/qual/projects.ts';
import { sendPage } from '../pages.ts';
import { caseLabel, idParams, investigatorAccess, member, memberAccess, qualActor, short } from './common.ts';
import { appKeyring } from '../keyring.ts';
import { memberCheckSection } from './member-check.ts';
import { blindingSection, casesTable, codebookForm, codebookTable, importForm } from './project-views.ts';
import { qualText as t } from './texts.ts';

const uuid = { type: 'string', format: 'uuid' } as const;

/** The project list, a project's page, and what the investigator adds: members, transcripts, codes. */
export function registerQualProjectRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const keyring = appKeyring(app);

  app.get('/app/qual', { config: memberAccess, schema: { hide: true } }, async (request, reply) => {
    const lang = request.lang;
    const staff = request.staff!;
    const projects = await listMyProjects(db, staff.orgId, staff.userId);
    const body = html`<h1>${t(lang, 'nav.title')}</h1>
      <p>${t(lang, 'list.intro')}</p>
      ${
        projects.length
          ? html`<table data-testid="qual-projects">
            <thead>
              <tr>
                <th scope="col">${t(lang, 'list.project')}</th>
                <th scope="col">${t(lang, 'list.role')}</th>
                <th scope="col">${t(lang, 'list.documents')}</th>
                <th scope="col">${t(lang, 'list.status')}</th>
              </tr>
            </thead>
            <tbody>
              ${projects.map(
                (p) =>
                  html`<tr>
                    <td><a href="/app/qual/${p.id}">${inLanguage(p.name, p.language, lang)}</a></td>
                    <td>${t(lang, `role.${p.role}`)}</td>
                    <td>${formatNumber(lang, p.documents, 0)}</td>
                    <td>${t(lang, p.blinded ? 'blinded' : 'unblinded')}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
          : html`<p>${t(lang, 'list.none')}</p>`
      }
      ${
        staff.roles.includes('researcher')
          ? html`<section class="card" aria-labelledby="new-h">
            <h2 id="new-h">${t(lang, 'new.title')}</h2>
            <form method="post" action="/app/qual">
              <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
              <label for="project-name">${t(lang, 'new.name')}</label>
              <input id="project-name" name="name" required maxlength="200" />
              <label for="project-language">${t(lang, 'new.language')}</label>
              <select id="project-language" name="language">
                <option value="nl">${t(lang, 'lang.nl')}</option>
                <option value="en">${t(lang, 'lang.en')}</option>
              </select>
              <button type="submit">${t(lang, 'new.create')}</button>
            </form>
          </section>`
          : null
      }`;
    return sendPage(request, reply, { title: t(lang, 'nav.title'), body });
  });

  app.post<{ Body: { name: string; language: 'nl' | 'en' } }>(
    '/app/qual',
    {
      config: investigatorAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['name', 'language'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
            language: { type: 'string', enum: ['nl', 'en'] },
            _csrf: short(200),
          },
        },
      },
    },
    async (request, reply) => {
      const id = await createProject(db, qualActor(request), {
        name: request.body.name.trim(),
        language: request.body.language,
      });
      return reply.redirect(`/app/qual/${id}`, 303);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { imported?: string; link?: string; case?: string } }>(
    '/app/qual/:id',
    {
      config: memberAccess,
      schema: {
        hide: true,
        params: idParams,
        querystring: {
          type: 'object',
          properties: { imported: short(40), link: short(200), case: short(40) },
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id);
      const project = await loadProject(db, keyring, qualActor(request), access.id);
      const lead = access.role === 'investigator';
      const csrf = reply.generateCsrf();
      const own = (text: string) => inLanguage(text, access.language, lang);
      const mine = project.segments.filter((s) => s.coderId === request.staff!.userId);
      const body = html`<p><a href="/app/qual">${t(lang, 'project.back')}</a></p>
        <h1>${own(project.name)}</h1>
        <p>${t(lang, `role.${access.role}`)} · ${t(lang, access.blinded ? 'blinded' : 'unblinded')}</p>
        ${
          request.query.imported
            ? html`<p role="status" class="notice">${t(lang, 'import.done', { case: request.query.imported })}</p>`
            : null
        }
        ${lead ? await memberCheckSection(request, project, access.language, csrf) : null}
        <section aria-labelledby="cases-h">
          <h2 id="cases-h">${t(lang, 'project.cases')}</h2>
          ${casesTable(lang, project, mine, access.id)}
        </section>
        ${lead ? importForm(lang, access.id, csrf) : null}
        <section aria-labelledby="codes-h">
          <h2 id="codes-h">${t(lang, 'codebook.title')}</h2>
          ${codebookTable(lang, project, access.language, lead)}
          <p>
            <a href="/app/qual/${access.id}/codebook.csv">${t(lang, 'codebook.exportCsv')}</a> ·
            <a href="/app/qual/${access.id}/codebook.qdc">${t(lang, 'codebook.exportQdc')}</a>
          </p>
          ${lead ? codebookForm(lang, access.id, csrf) : null}
        </section>
        ${lead ? await membersSection(lang, request.staff!.orgId, access.id, csrf) : null}
        ${lead ? blindingSection(lang, access.id, access.blinded, csrf) : null}
        <section aria-labelledby="views-h">
          <h2 id="views-h">${t(lang, 'views.title')}</h2>
          <ul>
            <li><a href="/app/qual/${access.id}/agreement">${t(lang, 'views.agreement')}</a></li>
            ${
              lead
                ? html`<li><a href="/app/qual/${access.id}/consensus">${t(lang, 'views.consensus')}</a></li>
                  <li><a href="/app/qual/${access.id}/table">${t(lang, 'views.table')}</a></li>
                  <li><a href="/app/qual/${access.id}/explore">${t(lang, 'views.explore')}</a></li>
                  <li><a href="/app/qual/${access.id}/export.qdpx">${t(lang, 'views.qdpx')}</a></li>`
                : null
            }
          </ul>
        </section>`;
      return sendPage(request, reply, {
        title: project.name,
        body,
        path: `/app/qual/${access.id}`,
        scripts: ['/static/qual.js'],
      });
    },
  );

  async function membersSection(lang: Lang, orgId: string, id: string, csrf: string): Promise<SafeHtml> {
    const colleagues = await db
      .selectFrom('users')
      .select(['id', 'display_name', 'email', 'roles'])
      .where('org_id', '=', orgId)
      .where('active', '=', true)
      .orderBy('display_name')
      .execute();
    const members = await db
      .selectFrom('qual_members')
      .select(['user_id', 'role'])
      .where('project_id', '=', id)
      .execute();
    const name = new Map(colleagues.map((c) => [c.id, c.display_name]));
    return html`<section aria-labelledby="members-h">
      <h2 id="members-h">${t(lang, 'members.title')}</h2>
      <ul data-testid="qual-members">
        ${members.map((m) => html`<li>${name.get(m.user_id) ?? '—'}: ${t(lang, `role.${m.role}`)}</li>`)}
      </ul>
      <form method="post" action="/app/qual/${id}/members">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <label for="member-user">${t(lang, 'members.colleague')}</label>
        <select id="member-user" name="user">
          ${colleagues.map((c) => html`<option value="${c.id}" data-roles="${c.roles.join(' ')}">${c.display_name} (${c.email})</option>`)}
        </select>
        <label for="member-role">${t(lang, 'members.role')}</label>
        <select id="member-role" name="role">
          <option value="coder">${t(lang, 'role.coder')}</option>
          <option value="auditor">${t(lang, 'role.auditor')}</option>
        </select>
        <button type="submit">${t(lang, 'members.add')}</button>
      </form>
    </section>`;
  }

  app.post<{ Params: { id: string }; Body: { user: string; role: 'coder' | 'auditor' } }>(
    '/app/qual/:id/members',
    {
      config: investigatorAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['user', 'role'],
          properties: { user: uuid, role: { type: 'string', enum: ['coder', 'auditor'] }, _csrf: short(200) },
        },
      },
    },
    async (request, reply) => {
      const access = await member(request, request.params.id, ['investigator']);
      if (request.body.user === request.staff!.userId) return reply.redirect(`/app/qual/${access.id}`, 303);
      await setMember(db, qualActor(request), access.id, request.body.user, request.body.role);
      return reply.redirect(`/app/qual/${access.id}`, 303);
    },
  );

  app.post<{
    Params: { id: string };
    Body: Record<
      'case' | 'fileName' | 'text' | 'docx' | 'profession' | 'gender' | 'age_band' | 'experience_band',
      string
    >;
  }>(
    '/app/qual/:id/documents',
    {
      config: investigatorAccess,
      preValidation: app.csrfProtection,
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['case'],
          properties: {
            case: caseLabel,
            fileName: short(200),
            text: short(2_000_000),
            docx: short(6_000_000),
            profession: short(100),
            gender: short(50),
            age_band: short(50),
            experience_band: short(50),
            _csrf: short(200),
          },
        },
      },
    },
    async (request, reply) => {
      const access = await member(request, request.params.id, ['investigator']);
      const b = request.body;
      let content = b.text ?? '';
      let fileName = b.fileName || 'pasted.txt';
      if (b.docx) {
        try {
          // Loaded on first use: mammoth and its zip and XML readers would add to every server start.
          const { default: mammoth } = await import('mammoth');
          content = (await mammoth.extractRawText({ buffer: Buffer.from(b.docx, 'base64') })).value;
        } catch {
          throw new SpiegelError('QUAL_IMPORT_INVALID', 'The .docx file cannot be read.');
        }
        fileName = 'transcript.docx';
      }
      const text = transcriptText(fileName, content);
      if (text.trim() === '') throw new SpiegelError('QUAL_IMPORT_INVALID', 'The transcript is empty.');
      const attributes = Object.fromEntries(
        (['profession', 'gender', 'age_band', 'experience_band'] as const)
          .filter((k) => (b[k] ?? '').trim() !== '')
          .map((k) => [k, b[k]!.trim()]),
      );
      await putDocument(db, keyring, qualActor(request), access.id, { caseLabel: b.case, text, attributes });
      return reply.redirect(`/app/qual/${access.id}/pseudonymise?case=${encodeURIComponent(b.case)}`, 303);
    },
  );

  app.post<{ Params: { id: string }; Body: { fileName?: string; content: string } }>(
    '/app/qual/:id/codebook',
    {
      config: investigatorAccess,
      preValidation: app.csrfProtection,
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['content'],
          properties: { fileName: short(200), content: short(1_000_000), _csrf: short(200) },
        },
      },
    },
    async (request, reply) => {
      const access = await member(request, request.params.id, ['investigator']);
      const codes = readCodebook(request.body.fileName || 'codebook.csv', request.body.content);
      await mergeCodes(db, qualActor(request), access.id, codes);
      return reply.redirect(`/app/qual/${access.id}`, 303);
    },
  );
}
