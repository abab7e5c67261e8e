import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { orderedCodes } from '../../domain/qual/types.ts';
import { html, inLanguage } from '../../web/html.ts';
import { mergeCode, splitCode, updateCode, type CodeFields } from '../../store/qual/codebook.ts';
import { loadProject } from '../../store/qual/projects.ts';
import { appKeyring } from '../keyring.ts';
import { sendPage } from '../pages.ts';
import { excerpt } from './coding.ts';
import { codeTitle, investigatorAccess, member, qualActor, short } from './common.ts';
import { qualText as t } from './texts.ts';

const codeLabel = { type: 'string', pattern: '^[^\\s/?#]{1,12}$' } as const;
const params = {
  type: 'object',
  required: ['id', 'code'],
  properties: { id: { type: 'string', format: 'uuid' }, code: codeLabel },
} as const;
const fieldsSchema = {
  label: codeLabel,
  name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
  definition: short(2000),
  inclusion: short(2000),
  exclusion: short(2000),
  example: short(2000),
  colour: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' },
  _csrf: short(300),
} as const;

type Params = { id: string; code: string };

/** One code of the codebook: edit, merge into another, split segments off; with its history. */
export function registerQualCodebookRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const keyring = appKeyring(app);
  const back = (request: FastifyRequest<{ Params: Params }>, label: string) =>
    `/app/qual/${request.params.id}/codes/${encodeURIComponent(label)}`;

  app.get<{ Params: Params }>(
    '/app/qual/:id/codes/:code',
    { config: investigatorAccess, schema: { hide: true, params } },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id, ['investigator']);
      const project = await loadProject(db, keyring, qualActor(request), access.id);
      const code = project.codes.find((c) => c.label === request.params.code);
      if (!code) throw new SpiegelError('NOT_FOUND', 'No such code.');
      const own = (text: string) => inLanguage(text, access.language, lang);
      const csrf = reply.generateCsrf();
      const action = back(request, code.label);
      const segments = project.segments.filter((s) => s.codeId === code.id);
      const names = new Map([
        ...project.coders.map((c) => [c.id, c.name] as const),
        ['consensus', t(lang, 'table.consensus')],
      ]);
      // The fields hold the project's own text: marked with its language on a page in the other one.
      const mark = access.language === lang ? null : html`lang="${access.language}"`;
      const input = (name: keyof CodeFields, key: Parameters<typeof t>[1], value: string, area = false) =>
        area
          ? html`<label for="c-${name}">${t(lang, key)}</label
              ><textarea id="c-${name}" name="${name}" rows="2" ${mark}>${value}</textarea>`
          : html`<label for="c-${name}">${t(lang, key)}</label
              ><input id="c-${name}" name="${name}" value="${value}" ${mark} />`;
      const body = html`<p><a href="/app/qual/${access.id}">${own(project.name)}</a></p>
        <h1>${codeTitle(code, access.language, lang)}</h1>
        <section aria-labelledby="edit-h">
          <h2 id="edit-h">${t(lang, 'codeEdit.edit')}</h2>
          <form method="post" action="${action}" data-testid="code-edit">
            <input type="hidden" name="_csrf" value="${csrf}" />
            ${input('label', 'codeEdit.label', code.label)} ${input('name', 'codebook.name', code.name)}
            ${input('definition', 'codebook.definition', code.definition, true)}
            ${input('inclusion', 'codeEdit.inclusion', code.inclusion, true)}
            ${input('exclusion', 'codeEdit.exclusion', code.exclusion, true)}
            ${input('example', 'codeEdit.example', code.example, true)}
            <label for="c-colour">${t(lang, 'codeEdit.colour')}</label>
            <input id="c-colour" name="colour" type="color" value="${code.colour}" />
            <button type="submit">${t(lang, 'codeEdit.save')}</button>
          </form>
        </section>
        <section aria-labelledby="merge-h">
          <h2 id="merge-h">${t(lang, 'codeEdit.merge')}</h2>
          <p>${t(lang, 'codeEdit.mergeIntro')}</p>
          <form method="post" action="${action}/merge" data-testid="code-merge">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <label for="into">${t(lang, 'codeEdit.into')}</label>
            <select id="into" name="into">
              ${orderedCodes(project.codes)
                .filter((c) => c.id !== code.id)
                .map((c) => html`<option value="${c.label}">${c.label}. ${own(c.name)}</option>`)}
            </select>
            <button type="submit">${t(lang, 'codeEdit.merge')}</button>
          </form>
        </section>
        <section aria-labelledby="split-h">
          <h2 id="split-h">${t(lang, 'codeEdit.split')}</h2>
          <p>${t(lang, 'codeEdit.splitIntro')}</p>
          <form method="post" action="${action}/split" data-testid="code-split">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <label for="s-label">${t(lang, 'codeEdit.newLabel')}</label><input id="s-label" name="label" required />
            <label for="s-name">${t(lang, 'codeEdit.newName')}</label><input id="s-name" name="name" required />
            <fieldset>
              <legend>${t(lang, 'code.segments')}</legend>
              ${segments.map((s) => {
                const doc = project.documents.find((d) => d.id === s.documentId)!;
                return html`<label class="check"
                  ><input type="checkbox" name="segment" value="${s.id}" /> ${doc.caseLabel}, ${names.get(s.coderId) ?? '—'}:
                  <q lang="${access.language}">${excerpt(doc.text.slice(s.start, s.end), 120)}</q></label
                >`;
              })}
            </fieldset>
            <button type="submit">${t(lang, 'codeEdit.split')}</button>
          </form>
        </section>
        <section aria-labelledby="history-h">
          <h2 id="history-h">${t(lang, 'codeEdit.history')}</h2>
          ${(() => {
            const memos = project.memos.filter((m) => m.target.kind === 'code' && m.target.id === code.id);
            return memos.length
              ? html`<ul data-testid="code-history">
                  ${memos.map((m) => html`<li>${own(m.text)}</li>`)}
                </ul>`
              : html`<p>${t(lang, 'codeEdit.noHistory')}</p>`;
          })()}
        </section>`;
      return sendPage(request, reply, { title: t(lang, 'codeEdit.title', { label: code.label }), body });
    },
  );

  app.post<{ Params: Params; Body: CodeFields }>(
    '/app/qual/:id/codes/:code',
    {
      config: investigatorAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params,
        body: { type: 'object', required: ['label', 'name', 'colour'], properties: fieldsSchema },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id, ['investigator']);
      const b = request.body;
      const fields: CodeFields = {
        label: b.label,
        name: b.name.trim(),
        definition: b.definition ?? '',
        inclusion: b.inclusion ?? '',
        exclusion: b.exclusion ?? '',
        example: b.example ?? '',
        colour: b.colour.toLowerCase(),
      };
      await updateCode(db, keyring, qualActor(request), access.id, request.params.code, fields, (before) => {
        const renamed = before.label !== fields.label || before.name !== fields.name;
        if (renamed)
          return t(lang, 'history.renamed', {
            from: `${before.label}. ${before.name}`,
            to: `${fields.label}. ${fields.name}`,
          });
        const redefined = (['definition', 'inclusion', 'exclusion', 'example'] as const).some(
          (k) => before[k] !== fields[k],
        );
        return redefined ? t(lang, 'history.redefined') : null;
      });
      return reply.redirect(back(request, fields.label), 303);
    },
  );

  app.post<{ Params: Params; Body: { into: string } }>(
    '/app/qual/:id/codes/:code/merge',
    {
      config: investigatorAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params,
        body: { type: 'object', required: ['into'], properties: { into: codeLabel, _csrf: short(300) } },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id, ['investigator']);
      const { code } = request.params;
      await mergeCode(db, keyring, qualActor(request), access.id, code, request.body.into, (n) =>
        t(lang, 'history.merged', { from: code, n }),
      );
      return reply.redirect(back(request, request.body.into), 303);
    },
  );

  app.post<{ Params: Params; Body: { label: string; name: string; segment?: string | string[] } }>(
    '/app/qual/:id/codes/:code/split',
    {
      config: investigatorAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params,
        body: {
          type: 'object',
          required: ['label', 'name'],
          properties: {
            label: codeLabel,
            name: fieldsSchema.name,
            segment: {
              anyOf: [
                { type: 'string', format: 'uuid' },
                { type: 'array', maxItems: 5000, items: { type: 'string', format: 'uuid' } },
              ],
            },
            _csrf: short(300),
          },
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id, ['investigator']);
      const { code } = request.params;
      const b = request.body;
      await splitCode(
        db,
        keyring,
        qualActor(request),
        access.id,
        code,
        {
          label: b.label,
          name: b.name.trim(),
          definition: '',
          inclusion: '',
          exclusion: '',
          example: '',
          colour: '#888888',
        },
        b.segment === undefined ? [] : [b.segment].flat(),
        (n) => t(lang, 'history.split', { from: code, n }),
      );
      return reply.redirect(back(request, b.label), 303);
    },
  );
}
