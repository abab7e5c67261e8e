/**
 * A study's files beyond the data exports: the codebook as PDF, and one analysis as an .xlsx or .docx
 * table (the same choices as the analysis page). Tables read response data, so they are audited as the
 * analysis page is; the codebook holds no responses.
 */
import type { FastifyInstance } from 'fastify';
import type { Content } from 'pdfmake/interfaces.js';
import { renderPdf } from '../../web/pdf.ts';
import { researchText as t } from '../../web/research/texts.ts';
import { readSurvey } from '../../domain/research/survey.ts';
import { buildDataset, NO_ANSWER, NOT_ASKED } from '../../domain/research/dataset.ts';
import { analysisTable } from '../../domain/research/tables.ts';
import { writeDocx, writeXlsx } from '../../domain/research/ooxml.ts';
import { formatNumber } from '../../domain/stats/index.ts';
import { ownStudy, researcherAccess } from './studies.ts';
import { studyDataset } from './study-data.ts';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 40 } } } as const;
const num = (v: string | undefined) => Number(String(v ?? '').replace(',', '.'));

export function registerStudyFileRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string } }>(
    '/app/research/studies/:id/codebook.pdf',
    { config: researcherAccess, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const lang = request.lang;
      const study = await ownStudy(request, request.params.id);
      const data = buildDataset(readSurvey(study.questionnaire), [], study.transformations);
      // As on the codebook page: labels are the study's own text, marked with the survey's language;
      // variable names and derivations are identifiers ('zxx': no linguistic content).
      const surveyLang = study.questionnaire.language ?? 'nl';
      const own = (text: string): Content =>
        surveyLang === lang ? text : ({ text, lang: surveyLang } as unknown as Content);
      const identifier = (text: string): Content => ({ text, lang: 'zxx', bold: true }) as unknown as Content;
      const missingText = (value: number) =>
        value === NOT_ASKED ? t(lang, 'codebook.notAsked') : value === NO_ANSWER ? t(lang, 'codebook.noAnswer') : '';
      const head = (['variable', 'label', 'type', 'values', 'missing', 'derivation'] as const).map((key) => ({
        text: t(lang, `codebook.${key}`),
        bold: true,
      }));
      const body: Content[][] = [
        head,
        ...data.variables.map((v): Content[] => [
          identifier(v.name),
          own(v.label),
          `${t(lang, `codebook.type.${v.type}`)}, ${t(lang, `codebook.measure.${v.measure}`)}`,
          v.valueLabels
            .filter((l) => !v.missing.includes(l.value))
            .map((l) => ({ text: [`${l.value} = `, own(l.label), '\n'] })),
          v.missing.map((m) => `${m} = ${missingText(m)}`).join('\n'),
          v.derivation ? identifier(v.derivation) : '',
        ]),
      ];
      const title = `${t(lang, 'export.codebook')}: `;
      const pdf = await renderPdf({
        pageOrientation: 'landscape',
        info: { title: title + study.title },
        content: [
          { text: [title, own(study.title)], style: 'h1' },
          {
            text: [
              identifier(study.ethicsReference),
              ` · ${t(lang, 'codebook.surveyVersion', { n: study.surveyVersion })}`,
              ` · ${t(lang, 'codebook.transformationsVersion', { n: study.transformationsVersion })}`,
            ],
            style: 'muted',
          },
          {
            table: { headerRows: 1, widths: ['auto', '*', 'auto', '*', 'auto', '*'], body },
            layout: 'lightHorizontalLines',
            fontSize: 8,
            margin: [0, 8, 0, 0],
          },
        ],
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="codebook.pdf"')
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );

  app.get<{ Params: { id: string; ext: string }; Querystring: Record<string, string> }>(
    '/app/research/studies/:id/table.:ext',
    {
      config: researcherAccess,
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['id', 'ext'],
          properties: { id: { type: 'string', maxLength: 40 }, ext: { type: 'string', enum: ['xlsx', 'docx'] } },
        },
        querystring: { type: 'object', additionalProperties: { type: 'string', maxLength: 40 } },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const study = await ownStudy(request, request.params.id);
      const data = await studyDataset(request, study, `research.table.${request.params.ext}`);
      const q = request.query;
      const table = analysisTable(
        data,
        {
          test: q.test ?? 'freq',
          y: q.y ?? '',
          group: q.group ?? '',
          norm: q.nm ? { mean: num(q.nm), sd: num(q.nsd), n: num(q.nn) } : undefined,
        },
        lang,
      );
      const xlsx = request.params.ext === 'xlsx';
      const file = xlsx ? writeXlsx(table) : writeDocx(table, (v) => formatNumber(v, 2, lang));
      return reply
        .type(
          xlsx
            ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
            : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        )
        .header('content-disposition', `attachment; filename="spiegel-${q.test ?? 'freq'}.${request.params.ext}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(file));
    },
  );
}
