/**
 * The anonymous survey at /s/<token>: information letter and consent, the survey, thanks with a
 * withdrawal code, and /s/withdraw. Nothing here reads or stores the IP address or user agent; the
 * request log masks the token (src/server/request-log.ts). The time between consent and submit is
 * carried in a signed hidden field, so no in-progress row (and no timestamp) is stored.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseLang, type Lang } from '../../web/i18n.ts';
import { researchText as t } from '../../web/research/texts.ts';
import {
  consentPage,
  eligibilityPage,
  surveyMessagePage,
  surveyPage,
  surveyThanksPage,
  withdrawPage,
} from '../../web/research/survey-page.ts';
import {
  countFunnel,
  nextAllocation,
  openLink,
  submitAnonymous,
  withdraw,
  type OpenLink,
} from '../../store/research.ts';
import { allocateArm, CHOICE_SYSTEM, LIKERT_SYSTEM, readSurvey, type Survey } from '../../domain/research/survey.ts';
import { disabledFor } from '../../domain/research/branching.ts';
import { screen } from '../../domain/research/eligibility.ts';
import { validateResponse } from '../../domain/instruments/validate-response.ts';
import type { QuestionnaireResponse, ResponseItem } from '../../domain/instruments/fhir.ts';
import { isSpiegelError } from '../../domain/errors.ts';

const params = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' } },
} as const;
const publicAccess = { access: { kind: 'public' as const } };
// Per process: a restart asks a respondent who is halfway to open the link again.
const STATE_KEY = randomBytes(32);

function sign(payload: string): string {
  return createHmac('sha256', STATE_KEY).update(payload).digest('base64url');
}

export function encodeState(consentVersion: number, startedMs: number, arms: Record<string, number> = {}): string {
  const payload = Buffer.from(JSON.stringify({ v: consentVersion, t: startedMs, a: arms })).toString('base64url');
  return `${payload}.${sign(payload)}`;
}

/** A pass through the eligibility screen for one study (no respondent data in it). */
function screenPass(studyId: string): string {
  return sign(`screened:${studyId}`);
}

function validPass(studyId: string, pass: unknown): boolean {
  if (typeof pass !== 'string') return false;
  const expected = Buffer.from(screenPass(studyId));
  const given = Buffer.from(pass);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function decodeState(state: unknown): { v: number; t: number; a?: Record<string, number> } | null {
  if (typeof state !== 'string') return null;
  const [payload, mac] = state.split('.');
  if (!payload || !mac) return null;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      v: number;
      t: number;
      a?: Record<string, number>;
    };
    return Number.isInteger(parsed.v) && Number.isFinite(parsed.t) ? parsed : null;
  } catch {
    return null;
  }
}

/** The language the researcher wrote the study in (its survey's language). */
function surveyLang(study: { questionnaire: { language?: string } }): string {
  return study.questionnaire.language ?? 'nl';
}

function langOf(request: FastifyRequest, link: OpenLink | null): Lang {
  return (
    parseLang((request.query as Record<string, unknown>)?.lang) ??
    (link?.study.questionnaire.language === 'en' ? 'en' : 'nl')
  );
}

function send(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/** Builds the FHIR response from posted fields; problems per item in the respondent's language. */
export function responseFromForm(
  survey: Survey,
  body: Record<string, string>,
  lang: Lang,
): { response: QuestionnaireResponse; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  const items: ResponseItem[] = [];
  for (const item of survey.items) {
    const raw = (body[`a.${item.name}`] ?? '').trim();
    if (raw === '') continue;
    if (item.kind === 'open') items.push({ linkId: item.name, answer: [{ valueString: raw.slice(0, 2000) }] });
    else if (item.kind === 'numeric') {
      const n = /^-?\d{1,9}$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(n) || (item.min !== null && n < item.min) || (item.max !== null && n > item.max))
        errors.set(item.name, t(lang, 'survey.invalidNumber'));
      else items.push({ linkId: item.name, answer: [{ valueInteger: n }] });
    } else {
      const option = item.options.find((o) => String(o.value) === raw);
      if (!option) errors.set(item.name, t(lang, 'survey.required'));
      else if (item.kind === 'yesno') items.push({ linkId: item.name, answer: [{ valueBoolean: option.value === 1 }] });
      else
        items.push({
          linkId: item.name,
          answer: [
            {
              valueCoding: {
                system: item.kind === 'likert' ? LIKERT_SYSTEM : CHOICE_SYSTEM,
                code: String(option.value),
                display: option.label,
              },
            },
          ],
        });
    }
  }
  const response: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    questionnaire: survey.questionnaire.url,
    status: 'completed',
    item: items,
  };
  // Without JavaScript every question shows: answers to questions the branching skips are dropped.
  const disabled = disabledFor(survey, response);
  response.item = items.filter((i) => !disabled.has(i.linkId));
  for (const item of survey.items)
    if (item.required && !disabled.has(item.name) && !response.item.some((i) => i.linkId === item.name))
      errors.set(item.name, t(lang, 'survey.required'));
  return { response, errors };
}

export function registerSurveyRoutes(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const invalid = (request: FastifyRequest, reply: FastifyReply) => {
    const lang = langOf(request, null);
    return send(reply, 404, surveyMessagePage(lang, lang, t(lang, 'survey.invalid'), t(lang, 'survey.expired')));
  };

  app.get('/s/withdraw', { config: publicAccess, schema: { hide: true } }, async (request, reply) =>
    send(reply, 200, withdrawPage(langOf(request, null), null, null)),
  );
  app.post<{ Body: { code: string } }>(
    '/s/withdraw',
    {
      config: publicAccess,
      schema: {
        hide: true,
        body: { type: 'object', required: ['code'], properties: { code: { type: 'string', maxLength: 40 } } },
      },
    },
    async (request, reply) => {
      const lang = langOf(request, null);
      try {
        await withdraw(db, request.body.code);
        return send(reply, 200, withdrawPage(lang, t(lang, 'withdraw.done'), null));
      } catch (error) {
        if (isSpiegelError(error) && error.code === 'WITHDRAWAL_CODE_UNKNOWN')
          return send(reply, 404, withdrawPage(lang, null, t(lang, 'withdraw.unknown')));
        throw error;
      }
    },
  );

  app.get<{ Params: { token: string } }>(
    '/s/:token',
    { config: publicAccess, schema: { hide: true, params } },
    async (request, reply) => {
      const link = await openLink(db, request.params.token);
      if (!link) return invalid(request, reply);
      await countFunnel(db, link.study.id, link.channel, 'opened');
      const { study } = link;
      const lang = langOf(request, link);
      const path = `/s/${request.params.token}`;
      if (study.eligibility.length > 0)
        return send(reply, 200, eligibilityPage(lang, surveyLang(study), path, study.title, study.eligibility));
      return send(
        reply,
        200,
        consentPage(
          lang,
          surveyLang(study),
          path,
          study.title,
          study.consent.informationLetter,
          study.consent.consentText,
        ),
      );
    },
  );

  // The eligibility screen: counted as eligible or screened out, the answers themselves kept nowhere. The
  // consent form then carries a signed pass, so /start cannot be reached around the screen.
  app.post<{ Params: { token: string }; Body: Record<string, string> }>(
    '/s/:token/screen',
    {
      config: publicAccess,
      schema: {
        hide: true,
        params,
        body: { type: 'object', additionalProperties: { type: 'string', maxLength: 10 }, maxProperties: 40 },
      },
    },
    async (request, reply) => {
      const link = await openLink(db, request.params.token);
      if (!link) return invalid(request, reply);
      const { study } = link;
      const lang = langOf(request, link);
      const path = `/s/${request.params.token}`;
      const eligible = screen(study.eligibility, request.body ?? {});
      if (eligible === null)
        return send(reply, 422, eligibilityPage(lang, surveyLang(study), path, study.title, study.eligibility, true));
      if (!eligible) {
        await countFunnel(db, study.id, link.channel, 'screened-out');
        return send(reply, 200, surveyMessagePage(lang, surveyLang(study), study.title, t(lang, 'survey.screenedOut')));
      }
      await countFunnel(db, study.id, link.channel, 'eligible');
      return send(
        reply,
        200,
        consentPage(
          lang,
          surveyLang(study),
          path,
          study.title,
          study.consent.informationLetter,
          study.consent.consentText,
          screenPass(study.id),
        ),
      );
    },
  );

  app.post<{ Params: { token: string }; Body: { consent?: string; decision?: string; pass?: string } }>(
    '/s/:token/start',
    {
      config: publicAccess,
      schema: {
        hide: true,
        params,
        body: {
          type: 'object',
          properties: {
            consent: { type: 'string', maxLength: 10 },
            decision: { type: 'string', maxLength: 10 },
            pass: { type: 'string', maxLength: 100 },
          },
        },
      },
    },
    async (request, reply) => {
      const link = await openLink(db, request.params.token);
      if (!link) return invalid(request, reply);
      const lang = langOf(request, link);
      const path = `/s/${request.params.token}`;
      if (link.study.eligibility.length > 0 && !validPass(link.study.id, request.body.pass))
        return send(
          reply,
          200,
          eligibilityPage(lang, surveyLang(link.study), path, link.study.title, link.study.eligibility),
        );
      if (request.body.decision === 'decline' || request.body.consent !== 'yes') {
        await countFunnel(db, link.study.id, link.channel, 'declined');
        return send(
          reply,
          200,
          surveyMessagePage(lang, surveyLang(link.study), link.study.title, t(lang, 'survey.declined')),
        );
      }
      await countFunnel(db, link.study.id, link.channel, 'consented');
      const survey = readSurvey(link.study.questionnaire);
      const arms: Record<string, number> = {};
      for (const item of survey.items)
        if (item.assign) {
          const index = await nextAllocation(db, link.study.id, item.name);
          const codes = item.options.map((o) => o.value);
          arms[item.name] = allocateArm(link.study.id, codes, item.assign.blockSize, index);
        }
      const state = encodeState(link.study.consent.version, Date.now(), arms);
      const values = Object.fromEntries(Object.entries(arms).map(([k, v]) => [`a.${k}`, String(v)]));
      return send(reply, 200, surveyPage({ lang, path, title: link.study.title, survey, state, values }));
    },
  );

  app.post<{ Params: { token: string }; Body: Record<string, string> }>(
    '/s/:token',
    {
      config: publicAccess,
      schema: {
        hide: true,
        params,
        body: {
          type: 'object',
          required: ['state'],
          properties: { state: { type: 'string', maxLength: 400 } },
          additionalProperties: { type: 'string', maxLength: 4000 },
          maxProperties: 500,
        },
      },
    },
    async (request, reply) => {
      const link = await openLink(db, request.params.token);
      if (!link) return invalid(request, reply);
      const lang = langOf(request, link);
      const state = decodeState(request.body.state);
      if (!state)
        return send(
          reply,
          400,
          surveyMessagePage(lang, surveyLang(link.study), link.study.title, t(lang, 'survey.expired')),
        );
      const survey = readSurvey(link.study.questionnaire);
      // The assigned arms come from the signed state, never from the posted form.
      for (const item of survey.items)
        if (item.assign)
          request.body[`a.${item.name}`] = state.a?.[item.name] === undefined ? '' : String(state.a[item.name]);
      const { response, errors } = responseFromForm(survey, request.body, lang);
      const validation = validateResponse(survey.questionnaire, response);
      if (!validation.ok && errors.size === 0)
        for (const issue of validation.issues) errors.set(issue.path, issue.reason);
      if (errors.size > 0) {
        const page = surveyPage({
          lang,
          path: `/s/${request.params.token}`,
          title: link.study.title,
          survey,
          state: request.body.state,
          values: request.body,
          errors,
        });
        return send(reply, 422, page);
      }
      const now = new Date();
      const code = await submitAnonymous(db, {
        token: request.params.token,
        consentVersion: state.v,
        durationMs: Math.max(0, now.getTime() - state.t),
        response,
        submittedOn: now.toISOString().slice(0, 10),
      });
      if (!code) return invalid(request, reply);
      return send(reply, 200, surveyThanksPage(lang, code));
    },
  );
}
