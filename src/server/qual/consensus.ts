import type { FastifyInstance } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { passages } from '../../domain/qual/agreement.ts';
import { CONSENSUS, type QualProject } from '../../domain/qual/types.ts';
import { html, inLanguage } from '../../web/html.ts';
import { formatNumber } from '../../web/i18n.ts';
import { addMemo, addSegments } from '../../store/qual/coding.ts';
import { consensusRejections, rejectForConsensus, type ConsensusRejection } from '../../store/qual/consensus.ts';
import { loadProject } from '../../store/qual/projects.ts';
import { sendPage } from '../pages.ts';
import { excerpt } from './coding.ts';
import { caseLabel, codeTitle, idParams, investigatorAccess, member, qualActor } from './common.ts';
import { appKeyring } from '../keyring.ts';
import { qualText as t } from './texts.ts';

/** One row of the disagreement list: a code within a passage, who gave it, and whether consensus has it. */
interface Row {
  codeId: string;
  start: number;
  end: number;
  coders: string[];
  agreed: boolean;
  inConsensus: boolean;
  /** The consensus meeting rejected this code for this passage. */
  rejected: boolean;
}

/** The disagreement list of one document: passages of the coders' layers, code by code. */
export function disagreementRows(
  project: QualProject,
  documentId: string,
  rejections: ConsensusRejection[] = [],
  threshold = 0.5,
): Row[][] {
  const coders = project.coders.map((c) => c.id);
  const own = project.segments.filter((s) => s.documentId === documentId && s.coderId !== CONSENSUS);
  const consensus = project.segments.filter((s) => s.documentId === documentId && s.coderId === CONSENSUS);
  return passages(own, threshold).map((group) => {
    const codes = [...new Set(group.map((s) => s.codeId))];
    return codes.map((codeId) => {
      const mine = group.filter((s) => s.codeId === codeId);
      const start = Math.min(...mine.map((s) => s.start));
      const end = Math.max(...mine.map((s) => s.end));
      const by = [...new Set(mine.map((s) => s.coderId))];
      return {
        codeId,
        start,
        end,
        coders: by,
        agreed: coders.every((c) => by.includes(c)),
        inConsensus: consensus.some((s) => s.codeId === codeId && s.start < end && s.end > start),
        rejected: rejections.some((r) => r.codeId === codeId && r.start === start && r.end === end),
      };
    });
  });
}

/** The investigator's consensus meeting: differences side by side, decisions into the consensus layer. */
export function registerQualConsensusRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const keyring = appKeyring(app);

  app.get<{ Params: { id: string }; Querystring: { case?: string } }>(
    '/app/qual/:id/consensus',
    {
      config: investigatorAccess,
      schema: { hide: true, params: idParams, querystring: { type: 'object', properties: { case: caseLabel } } },
    },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id, ['investigator']);
      const project = await loadProject(db, keyring, qualActor(request), access.id);
      const doc = project.documents.find((d) => d.caseLabel === request.query.case) ?? project.documents[0];
      if (!doc) throw new SpiegelError('NOT_FOUND', 'No transcripts yet.');
      const base = `/app/qual/${access.id}`;
      const names = new Map(project.coders.map((c) => [c.id, c.name]));
      const byId = new Map(project.codes.map((c) => [c.id, c]));
      const csrf = reply.generateCsrf();
      const rows = disagreementRows(project, doc.id, await consensusRejections(db, access.id, doc.id));
      const body = html`<p><a href="${base}">${inLanguage(project.name, access.language, lang)}</a></p>
        <h1>${t(lang, 'cons.title', { case: doc.caseLabel })}</h1>
        <p>${t(lang, 'cons.intro')}</p>
        <form method="get" action="${base}/consensus" class="inline-form">
          <label for="case">${t(lang, 'cons.case')}</label>
          <select id="case" name="case">
            ${project.documents.map(
              (d) =>
                html`<option value="${d.caseLabel}" ${d.id === doc.id ? html`selected` : null}>${d.caseLabel}</option>`,
            )}
          </select>
          <button type="submit">${t(lang, 'agree.show')}</button>
        </form>
        ${
          rows.length
            ? html`<table data-testid="disagreements">
              <thead>
                <tr>
                  <th scope="col">${t(lang, 'cons.passage')}</th>
                  <th scope="col">${t(lang, 'codebook.name')}</th>
                  <th scope="col">${t(lang, 'cons.codedBy')}</th>
                  <th scope="col">${t(lang, 'cons.status')}</th>
                  <th scope="col">${t(lang, 'cons.decision')}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.flatMap((group) =>
                  group.map(
                    (r, i) =>
                      html`<tr data-agreed="${String(r.agreed)}">
                        ${
                          i === 0
                            ? html`<td rowspan="${String(group.length)}">
                              <q lang="${access.language}">${excerpt(doc.text.slice(r.start, r.end), 220)}</q>
                            </td>`
                            : null
                        }
                        <th scope="row">${codeTitle(byId.get(r.codeId)!, access.language, lang)}</th>
                        <td>${r.coders.map((c) => names.get(c) ?? c).join(', ')}</td>
                        <td>
                          ${t(lang, r.agreed ? 'cons.agreed' : 'cons.disputed')}${
                            r.inConsensus
                              ? html`; <strong>${t(lang, 'cons.inConsensus')}</strong>`
                              : r.rejected
                                ? html`; <strong>${t(lang, 'cons.rejectedStatus')}</strong>`
                                : null
                          }
                        </td>
                        <td>
                          ${
                            r.inConsensus || r.rejected
                              ? null
                              : html`<form method="post" action="${base}/consensus">
                                <input type="hidden" name="_csrf" value="${csrf}" />
                                <input type="hidden" name="case" value="${doc.caseLabel}" />
                                <input type="hidden" name="code" value="${byId.get(r.codeId)!.label}" />
                                <input type="hidden" name="start" value="${String(r.start)}" />
                                <input type="hidden" name="end" value="${String(r.end)}" />
                                <label class="visually-hidden" for="memo-${r.codeId}-${String(r.start)}"
                                  >${t(lang, 'cons.decision')}</label
                                >
                                <input id="memo-${r.codeId}-${String(r.start)}" name="memo" maxlength="2000" />
                                <button type="submit" name="decision" value="accept">${t(lang, 'cons.accept')}</button>
                                <button type="submit" name="decision" value="reject" class="secondary">
                                  ${t(lang, 'cons.reject')}
                                </button>
                              </form>`
                          }
                        </td>
                      </tr>`,
                  ),
                )}
              </tbody>
            </table>`
            : html`<p>${t(lang, 'cons.none')}</p>`
        }`;
      return sendPage(request, reply, { title: t(lang, 'cons.title', { case: doc.caseLabel }), body });
    },
  );

  app.post<{
    Params: { id: string };
    Body: { case: string; code: string; start: string; end: string; decision: 'accept' | 'reject'; memo?: string };
  }>(
    '/app/qual/:id/consensus',
    {
      config: investigatorAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['case', 'code', 'start', 'end', 'decision'],
          properties: {
            case: caseLabel,
            code: { type: 'string', maxLength: 20 },
            start: { type: 'string', pattern: '^[0-9]{1,9}$' },
            end: { type: 'string', pattern: '^[0-9]{1,9}$' },
            decision: { type: 'string', enum: ['accept', 'reject'] },
            memo: { type: 'string', maxLength: 2000 },
            _csrf: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const access = await member(request, request.params.id, ['investigator']);
      const b = request.body;
      const doc = await db
        .selectFrom('qual_documents')
        .select('id')
        .where('project_id', '=', access.id)
        .where('case_label', '=', b.case)
        .executeTakeFirst();
      const code = await db
        .selectFrom('qual_codes')
        .select('id')
        .where('project_id', '=', access.id)
        .where('label', '=', b.code)
        .executeTakeFirst();
      if (!doc || !code) throw new SpiegelError('NOT_FOUND', 'No such case or code.');
      const actor = qualActor(request);
      const memo = b.memo?.trim() ?? '';
      if (b.decision === 'accept') {
        const [id] = await addSegments(db, actor, access.id, {
          documentId: doc.id,
          codeIds: [code.id],
          layer: CONSENSUS,
          start: Number(b.start),
          end: Number(b.end),
        });
        if (memo)
          await addMemo(db, keyring, actor, access.id, {
            target: { kind: 'segment', id: id! },
            authorId: CONSENSUS,
            text: memo,
          });
      } else {
        await rejectForConsensus(db, actor, access.id, {
          documentId: doc.id,
          codeId: code.id,
          start: Number(b.start),
          end: Number(b.end),
        });
        const text = t(lang, 'cons.rejected', {
          code: b.code,
          from: formatNumber(lang, Number(b.start), 0),
          to: formatNumber(lang, Number(b.end), 0),
          memo,
        }).trim();
        await addMemo(db, keyring, actor, access.id, {
          target: { kind: 'document', id: doc.id },
          authorId: CONSENSUS,
          text,
        });
      }
      return reply.redirect(`/app/qual/${access.id}/consensus?case=${encodeURIComponent(b.case)}`, 303);
    },
  );
}
