/**
 * REDCap data dictionaries in the browser: download a study's survey as a dictionary, and paste a
 * dictionary to fill the new-study form's survey field (the researcher checks it and creates the study;
 * nothing is stored by the import itself). Both are survey definitions, not response data.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSpiegelError } from '../../domain/errors.ts';
import { redcapToSurveyText, surveyToRedcap } from '../../domain/research/redcap.ts';
import { readSurvey } from '../../domain/research/survey.ts';
import { ownStudy, researcherAccess } from './studies.ts';

export function registerRedcapRoutes(
  app: FastifyInstance,
  listPage: (
    request: FastifyRequest,
    reply: FastifyReply,
    values: { legal?: string; survey?: string },
    error: string | null,
  ) => Promise<unknown>,
): void {
  app.get<{ Params: { id: string } }>(
    '/app/research/studies/:id/redcap.csv',
    {
      config: researcherAccess,
      schema: {
        hide: true,
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
      },
    },
    async (request, reply) => {
      const study = await ownStudy(request, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="redcap-data-dictionary.csv"')
        .header('cache-control', 'no-store')
        .send(surveyToRedcap(readSurvey(study.questionnaire), study.title));
    },
  );

  app.post<{ Body: { dictionary: string } }>(
    '/app/research/studies/redcap',
    {
      config: researcherAccess,
      preValidation: app.csrfProtection,
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['dictionary'],
          properties: { _csrf: { type: 'string' }, dictionary: { type: 'string', maxLength: 200000 } },
        },
      },
    },
    async (request, reply) => {
      try {
        const survey = redcapToSurveyText(request.body.dictionary);
        return listPage(request, reply, { legal: 'consent', survey }, null);
      } catch (error) {
        if (isSpiegelError(error) && error.code === 'SURVEY_INVALID')
          return listPage(request, reply, { legal: 'consent' }, error.message);
        throw error;
      }
    },
  );
}
