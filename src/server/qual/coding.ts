import type { FastifyInstance } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { CONSENSUS, orderedCodes } from '../../domain/qual/types.ts';
import { html, inLanguage } from '../../web/html.ts';
import { formatNumber } from '../../web/i18n.ts';
import { addMemo, addSegments, deleteSegment } from '../../store/qual/coding.ts';
import { loadProject } from '../../store/qual/projects.ts';
import { sendPage } from '../pages.ts';
import {
  caseLabel,
  codedTranscript,
  codeTitle,
  idParams,
  member,
  memberAccess,
  ownLayer,
  qualActor,
  short,
  swatch,
} from './common.ts';
import { appKeyring } from '../keyring.ts';
import { qualText as t } from './texts.ts';

/** Shortcut keys for the first ten codes of the codebook order. */
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

/** Coding in the browser: select text, apply codes to one's own layer, remove one's own segments. */
export function registerQualCodingRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const keyring = appKeyring(app);

  app.get<{ Params: { id: string }; Querystring: { case: string } }>(
    '/app/qual/:id/code',
    {
      config: memberAccess,
      schema: {
        hide: true,
        params: idParams,
        querystring: { type: 'object', required: ['case'], properties: { case: caseLabel } },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id);
      const project = await loadProject(db, keyring, qualActor(request), access.id);
      const index = project.documents.findIndex((d) => d.caseLabel === request.query.case);
      const doc = project.documents[index];
      if (!doc) throw new SpiegelError('NOT_FOUND', 'No such case.');
      const layer = ownLayer(request, access);
      const segments = project.segments.filter((s) => s.documentId === doc.id && s.coderId === layer);
      const codes = orderedCodes(project.codes).filter((c) => !project.codes.some((x) => x.parentId === c.id));
      const byId = new Map(project.codes.map((c) => [c.id, c]));
      const csrf = reply.generateCsrf();
      const base = `/app/qual/${access.id}`;
      const neighbour = (i: number) => project.documents[i]?.caseLabel;
      const body = html`<p><a href="${base}">${inLanguage(project.name, access.language, lang)}</a></p>
        <h1>${t(lang, 'code.title', { case: doc.caseLabel })}</h1>
        <p>${t(lang, layer === CONSENSUS ? 'code.layerConsensus' : 'code.layerOwn')}</p>
        <p class="muted">${t(lang, 'code.howTo')}</p>
        ${codedTranscript(doc.text, segments, project.codes, access.language, lang)}
        <form method="post" action="${base}/segments" id="coding-form" data-testid="coding-form">
          <input type="hidden" name="_csrf" value="${csrf}" />
          <input type="hidden" name="case" value="${doc.caseLabel}" />
          <fieldset>
            <legend>${t(lang, 'code.codes')}</legend>
            <div class="code-choice">
              ${codes.map(
                (c, i) =>
                  html`<label class="check"
                    ><input type="checkbox" name="code" value="${c.label}" data-key="${KEYS[i] ?? ''}" />
                    ${swatch(c.colour)} ${codeTitle(c, access.language, lang)}
                    ${KEYS[i] ? html`<span class="muted">(${t(lang, 'code.shortcut', { key: KEYS[i] })})</span>` : null}</label
                  >`,
              )}
            </div>
          </fieldset>
          <label for="seg-start">${t(lang, 'code.from')}</label>
          <input id="seg-start" name="start" type="number" min="0" max="${String(doc.text.length)}" required />
          <label for="seg-end">${t(lang, 'code.to')}</label>
          <input id="seg-end" name="end" type="number" min="1" max="${String(doc.text.length)}" required />
          <p>${t(lang, 'code.selection')}: <q id="seg-preview" aria-live="polite" lang="${access.language}"></q></p>
          <label for="seg-memo">${t(lang, 'code.memo')}</label>
          <textarea id="seg-memo" name="memo" rows="2" maxlength="5000"></textarea>
          <button type="submit">${t(lang, 'code.apply')}</button>
        </form>
        <section aria-labelledby="segments-h">
          <h2 id="segments-h">${t(lang, 'code.segments')}</h2>
          ${
            segments.length
              ? html`<ul data-testid="segments">
                ${segments.map((s) => {
                  const code = byId.get(s.codeId);
                  return html`<li>
                    <strong>${code ? codeTitle(code, access.language, lang) : '?'}</strong>,
                    ${t(lang, 'code.chars', { from: formatNumber(lang, s.start, 0), to: formatNumber(lang, s.end, 0) })}:
                    <q lang="${access.language}">${excerpt(doc.text.slice(s.start, s.end))}</q>
                    <form method="post" action="${base}/segments/delete" class="inline">
                      <input type="hidden" name="_csrf" value="${csrf}" />
                      <input type="hidden" name="segment" value="${s.id}" />
                      <input type="hidden" name="case" value="${doc.caseLabel}" />
                      <button type="submit" class="link">${t(lang, 'code.delete')}</button>
                    </form>
                  </li>`;
                })}
              </ul>`
              : html`<p>${t(lang, 'code.none')}</p>`
          }
        </section>
        <p>
          ${
            neighbour(index - 1)
              ? html`<a href="${base}/code?case=${neighbour(index - 1)!}">${t(lang, 'code.previous')}</a>`
              : null
          }
          ${
            neighbour(index + 1)
              ? html`<a href="${base}/code?case=${neighbour(index + 1)!}">${t(lang, 'code.next')}</a>`
              : null
          }
        </p>`;
      return sendPage(request, reply, {
        title: t(lang, 'code.title', { case: doc.caseLabel }),
        body,
        path: `${base}/code?case=${doc.caseLabel}`,
        scripts: ['/static/qual.js'],
      });
    },
  );

  app.post<{
    Params: { id: string };
    Body: { case: string; code: string | string[]; start: string; end: string; memo?: string };
  }>(
    '/app/qual/:id/segments',
    {
      config: memberAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['case', 'code', 'start', 'end'],
          properties: {
            case: caseLabel,
            code: {
              anyOf: [short(20), { type: 'array', items: short(20), minItems: 1, maxItems: 50 }],
            },
            start: { type: 'string', pattern: '^[0-9]{1,9}$' },
            end: { type: 'string', pattern: '^[0-9]{1,9}$' },
            memo: short(5000),
            _csrf: short(200),
          },
        },
      },
    },
    async (request, reply) => {
      const access = await member(request, request.params.id);
      const b = request.body;
      const { documentId, codeIds } = await resolve(access.id, b.case, [b.code].flat());
      const actor = qualActor(request);
      const layer = ownLayer(request, access);
      const ids = await addSegments(db, actor, access.id, {
        documentId,
        codeIds,
        layer,
        start: Number(b.start),
        end: Number(b.end),
      });
      if (b.memo?.trim())
        await addMemo(db, keyring, actor, access.id, {
          target: { kind: 'segment', id: ids[0]! },
          authorId: layer,
          text: b.memo.trim(),
        });
      return reply.redirect(`/app/qual/${access.id}/code?case=${encodeURIComponent(b.case)}`, 303);
    },
  );

  app.post<{ Params: { id: string }; Body: { segment: string; case: string } }>(
    '/app/qual/:id/segments/delete',
    {
      config: memberAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['segment', 'case'],
          properties: { segment: { type: 'string', format: 'uuid' }, case: caseLabel, _csrf: short(200) },
        },
      },
    },
    async (request, reply) => {
      const access = await member(request, request.params.id);
      // Deleting is idempotent: a segment already gone leads back to the same page.
      await deleteSegment(db, qualActor(request), access.id, request.body.segment, ownLayer(request, access));
      return reply.redirect(`/app/qual/${access.id}/code?case=${encodeURIComponent(request.body.case)}`, 303);
    },
  );

  /** Case label and code labels to ids within the project (404 for ones it does not hold). */
  async function resolve(projectId: string, caseLabel: string, labels: string[]) {
    const doc = await db
      .selectFrom('qual_documents')
      .select('id')
      .where('project_id', '=', projectId)
      .where('case_label', '=', caseLabel)
      .executeTakeFirst();
    const codes = await db
      .selectFrom('qual_codes')
      .select(['id', 'label'])
      .where('project_id', '=', projectId)
      .where('label', 'in', labels)
      .execute();
    if (!doc || codes.length !== new Set(labels).size) throw new SpiegelError('NOT_FOUND', 'No such case or code.');
    return { documentId: doc.id, codeIds: codes.map((c) => c.id) };
  }
}

export function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
