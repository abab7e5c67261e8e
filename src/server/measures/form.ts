import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseLang, type Lang } from '../../web/i18n.ts';
import { formPage, invalidLinkPage, thanksPage } from '../../web/form/page.ts';
import { formSection, questionsOf, responseFromFields, type FormSection } from '../../web/form/questions.ts';
import { openInvitation, submitResponses, type PrepareAnswers, type ScoredAnswer } from '../../store/submit.ts';
import { validateResponse } from '../../domain/instruments/validate-response.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { markInvitationOpened } from '../../store/dashboards/reach.ts';
import { DEFAULT_CRISIS_CONTACTS } from '../../web/form/texts.ts';
import { formCsp } from '../../web/form/style.ts';
import { precompressed } from '../precompressed.ts';
import { instrumentsFor } from '../org-instrument-registry.ts';
import type { InstrumentRegistry } from '../../domain/instruments/registry.ts';

const params = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' } },
} as const;
const publicAccess = { access: { kind: 'public' as const } };

function send(reply: FastifyReply, status: number, body: string, shared = false): FastifyReply {
  const csp = reply.getHeader('content-security-policy');
  if (typeof csp === 'string') reply.header('content-security-policy', formCsp(csp)); // the inline form stylesheet
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store');
  // A page that is the same for every client (thanks, invalid link) goes out compressed from memory.
  const compressed = shared ? precompressed(reply.request.headers['accept-encoding'], body) : null;
  if (!compressed) return reply.send(body);
  return reply.header('content-encoding', compressed.encoding).header('vary', 'accept-encoding').send(compressed.bytes);
}

function formLang(request: FastifyRequest, fallback: Lang): Lang {
  const query = parseLang((request.query as Record<string, unknown>).lang);
  return query ?? parseLang(request.cookies.lang) ?? fallback;
}

/** The client's form at /m/<token>: server-rendered, works without JavaScript. */
export function registerMeasureForm(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  // The organisation's current text of each instrument (its imports and official translations included).
  const sectionsFor = async (
    orgId: string,
    ids: string[],
  ): Promise<{ sections: FormSection[]; registry: InstrumentRegistry }> => {
    const registry = await instrumentsFor(app.ctx, orgId);
    return {
      registry,
      sections: ids.filter((id) => registry.has(id)).map((id, i) => formSection(registry.get(id), i)),
    };
  };

  // A malformed token gets the same page as an unknown one: nothing reveals whether a link existed.
  app.setErrorHandler(async (error, request, reply) => {
    const failed = error as { validation?: unknown; validationContext?: string };
    if (request.url.startsWith('/m/') && failed.validation && failed.validationContext === 'params')
      return send(reply, 404, invalidLinkPage(formLang(request, 'nl')), true);
    throw error;
  });

  app.get<{ Params: { token: string } }>(
    '/m/:token',
    { config: publicAccess, schema: { hide: true, params } },
    async (request, reply) => {
      const invitation = await openInvitation(db, request.params.token);
      if (!invitation) return send(reply, 404, invalidLinkPage(formLang(request, 'nl')), true);
      await markInvitationOpened(db, invitation.id);
      const lang = formLang(request, invitation.lang);
      return send(
        reply,
        200,
        formPage({
          lang,
          path: `/m/${request.params.token}`,
          sections: (await sectionsFor(invitation.orgId, invitation.instrumentIds)).sections,
          submissionKey: randomBytes(16).toString('base64url'),
        }),
      );
    },
  );

  app.post<{ Params: { token: string }; Body: Record<string, string> }>(
    '/m/:token',
    {
      config: publicAccess,
      schema: {
        hide: true,
        params,
        body: {
          type: 'object',
          required: ['submission_key'],
          properties: { submission_key: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' } },
          additionalProperties: { type: 'string', maxLength: 8 },
          maxProperties: 200,
        },
      },
    },
    async (request, reply) => {
      const token = request.params.token;
      const now = new Date();
      // The answers are checked against the invitation the submit reads, so a submit reads it once.
      const prepare: PrepareAnswers = async (target) => {
        const answers: ScoredAnswer[] = [];
        const missing = new Set<string>();
        const { sections, registry } = await sectionsFor(target.orgId, target.instrumentIds);
        for (const section of sections) {
          const { response, problems } = responseFromFields(section, request.body, now);
          for (const p of problems) missing.add(p.field);
          const validation = validateResponse(section.scorer.questionnaire, response);
          if (!validation.ok && problems.length === 0)
            throw new SpiegelError('RESPONSE_INVALID', undefined, validation.issues);
          const result = section.scorer.score(response);
          // Too many skipped questions for a score (the missing-item rule): ask for the unanswered ones
          // rather than using up the link on a measurement that says nothing.
          if (result.scales.some((scale) => scale.subscaleOf === null && scale.value === null)) {
            for (const question of questionsOf(section))
              if (request.body[question.field] === undefined || request.body[question.field] === '')
                missing.add(question.field);
          }
          answers.push({
            scorer: section.scorer,
            version: registry.version(section.scorer.instrumentId),
            response,
            result,
          });
        }
        return missing.size > 0 ? { missing } : { answers };
      };
      // Also for a used link: a retry of an accepted submission (same key) must get its thanks page back.
      const outcome = await submitResponses(db, token, request.body.submission_key, prepare, { ip: null, now });
      if (outcome.state === 'invalid') return send(reply, 404, invalidLinkPage(formLang(request, 'nl')), true);
      const lang = formLang(request, outcome.target.lang);
      if (outcome.state === 'incomplete') {
        return send(
          reply,
          422,
          formPage({
            lang,
            path: `/m/${token}`,
            sections: (await sectionsFor(outcome.target.orgId, outcome.target.instrumentIds)).sections,
            submissionKey: request.body.submission_key,
            errors: outcome.missing,
          }),
        );
      }
      const contacts =
        (outcome.target.orgSettings.crisisContacts as typeof DEFAULT_CRISIS_CONTACTS | undefined) ??
        DEFAULT_CRISIS_CONTACTS;
      return send(reply, 200, thanksPage(lang, outcome.risk, contacts), true);
    },
  );
}
