import { Answer, ListAnswer, NoContent, Uuid, responses } from '../api-schemas.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { instrumentsFor } from '../org-instrument-registry.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { qrSvg as renderQrSvg } from '../qr.ts';
import { createClient, listClients, type Actor } from '../../store/clients.ts';
import { addSession, createEpisode, getEpisode, setEpisodeStatus } from '../../store/episodes.ts';
import {
  createInvitation,
  listInvitations,
  reissueInvitation,
  revokeInvitation,
  type IssuedInvitation,
} from '../../store/invitations.ts';
import { usableInstrumentIds } from '../../store/org-instruments.ts';

const uuid = Uuid;
const date = Type.String({ format: 'date' });
const episodeParams = Type.Object({ episodeId: uuid });
const invitationParams = Type.Object({ invitationId: uuid });
const nullableString = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()]);
const invitationAnswer = Answer('The single-use link and its QR code; the token exists only in this answer', {
  id: Uuid,
  url: Type.String(),
  qrSvg: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
const own = (resource: string) => ({ access: { kind: 'own' as const, roles: ['therapist' as const], resource } });
const therapistOnly = { access: { kind: 'staff' as const, roles: ['therapist' as const] } };

function actor(request: FastifyRequest): Actor {
  return { staff: request.staff!, ip: request.ip };
}

/** The link and QR code of a new invitation. The token exists only in this answer; it is never stored. */
export async function invitationView(app: FastifyInstance, issued: IssuedInvitation) {
  const url = `${app.ctx.config.publicUrl}/m/${issued.token}`;
  const qrSvg = await renderQrSvg(url, { errorCorrectionLevel: 'M', margin: 1 });
  return {
    id: issued.id,
    url,
    qrSvg,
    expiresAt: issued.expiresAt.toISOString(),
    instrumentIds: issued.instrumentIds,
    sessionNumber: issued.sessionNumber,
  };
}

/** JSON API for what a therapist sets up: clients, episodes, plans, sessions and invitations. */
export function registerMeasuresApi(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const known = async (request: FastifyRequest) => {
    const ids = await usableInstrumentIds(
      db,
      await instrumentsFor(app.ctx, request.staff!.orgId),
      request.staff!.orgId,
    );
    return (id: string) => ids.has(id);
  };
  const csrf = app.csrfProtection;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    '/api/clients',
    {
      config: therapistOnly,
      preValidation: csrf,
      schema: {
        tags: ['clients'],
        summary: 'Create a client (pseudonymous code; alias seen only by the therapist)',
        response: responses({ 201: Answer('The new client', { id: Uuid, code: Type.String() }) }, [409]),
        body: Type.Object(
          {
            code: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$' }),
            alias: Type.Optional(nullableString(80)),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => reply.code(201).send(await createClient(db, actor(request), request.body)),
  );

  api.get(
    '/api/clients',
    {
      config: therapistOnly,
      schema: {
        tags: ['clients'],
        summary: 'The caller’s own clients',
        response: responses({ 200: ListAnswer('The caller’s clients', 'clients', 'a client: id, code, alias') }),
      },
    },
    async (request) => ({ clients: await listClients(db, actor(request)) }),
  );

  api.post(
    '/api/episodes',
    {
      config: own('client'),
      preValidation: csrf,
      schema: {
        tags: ['episodes'],
        summary: 'Open an episode with participants and a measurement plan',
        response: responses({ 201: Answer('The new episode with its participants and plans', { id: Uuid }) }, [409]),
        body: Type.Object(
          {
            clientId: uuid,
            modality: Type.Enum(['individual', 'couple', 'family', 'group']),
            participants: Type.Optional(
              Type.Array(
                Type.Union([
                  Type.String({ minLength: 1, maxLength: 40 }),
                  Type.Object(
                    {
                      label: Type.String({ minLength: 1, maxLength: 40 }),
                      role: Type.Optional(nullableString(40)),
                      email: Type.Optional(nullableString(200)),
                      phone: Type.Optional(nullableString(20)),
                      lang: Type.Optional(Type.Enum(['nl', 'en'])),
                    },
                    { additionalProperties: false },
                  ),
                ]),
                { maxItems: 20 },
              ),
            ),
            startedOn: date,
            withoutPlan: Type.Optional(Type.Boolean()),
            plans: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    instrumentId: Type.String({ maxLength: 80 }),
                    schedule: Type.Enum(['every_session', 'intake', 'every_n', 'end']),
                    everyN: Type.Optional(Type.Union([Type.Integer({ minimum: 2, maximum: 52 }), Type.Null()])),
                  },
                  { additionalProperties: false },
                ),
                { maxItems: 20 },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createEpisode(db, actor(request), request.body, await known(request))),
  );

  api.get(
    '/api/episodes/:episodeId',
    {
      config: own('episode'),
      schema: {
        tags: ['episodes'],
        summary: 'One of the caller’s episodes',
        response: responses({ 200: Answer('The episode with its participants, plans and sessions', { id: Uuid }) }),
        params: episodeParams,
      },
    },
    async (request) => getEpisode(db, actor(request), request.params.episodeId),
  );

  api.patch(
    '/api/episodes/:episodeId',
    {
      config: own('episode'),
      preValidation: csrf,
      schema: {
        tags: ['episodes'],
        summary: 'Close or reopen an episode',
        response: responses({ 204: NoContent }, [409]),
        params: episodeParams,
        body: Type.Object(
          {
            status: Type.Enum(['active', 'completed', 'dropped']),
            endedOn: Type.Optional(Type.Union([date, Type.Null()])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      await setEpisodeStatus(db, actor(request), request.params.episodeId, request.body);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/episodes/:episodeId/sessions',
    {
      config: own('episode'),
      preValidation: csrf,
      schema: {
        tags: ['episodes'],
        summary: 'Record a session',
        response: responses({ 201: Answer('The recorded session', { id: Uuid }) }, [409]),
        params: episodeParams,
        body: Type.Object(
          { heldOn: date, number: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addSession(db, actor(request), request.params.episodeId, request.body)),
  );

  api.post(
    '/api/episodes/:episodeId/invitations',
    {
      config: own('episode'),
      preValidation: csrf,
      schema: {
        tags: ['invitations'],
        summary: 'Create a single-use invitation link and QR code for one participant',
        response: responses({ 201: invitationAnswer }, [409]),
        params: episodeParams,
        body: Type.Object(
          {
            participantId: uuid,
            sessionNumber: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            instrumentIds: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { minItems: 1, maxItems: 10 })),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
            lang: Type.Optional(Type.Enum(['nl', 'en'])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await invitationView(
            app,
            await createInvitation(db, actor(request), request.params.episodeId, request.body, await known(request)),
          ),
        ),
  );

  api.get(
    '/api/episodes/:episodeId/invitations',
    {
      config: own('episode'),
      schema: {
        tags: ['invitations'],
        summary: 'Invitations of an episode (never their tokens)',
        response: responses({
          200: ListAnswer('The episode’s invitations, without tokens', 'invitations', 'an invitation'),
        }),
        params: episodeParams,
      },
    },
    async (request) => ({ invitations: await listInvitations(db, actor(request), request.params.episodeId) }),
  );

  api.post(
    '/api/invitations/:invitationId/revoke',
    {
      config: own('invitation'),
      preValidation: csrf,
      schema: {
        tags: ['invitations'],
        summary: 'Revoke an invitation',
        response: responses({ 204: NoContent }, [409]),
        params: invitationParams,
      },
    },
    async (request, reply) => {
      await revokeInvitation(db, actor(request), request.params.invitationId);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/invitations/:invitationId/reissue',
    {
      config: own('invitation'),
      preValidation: csrf,
      schema: {
        tags: ['invitations'],
        summary: 'Revoke an unused invitation and issue a new link',
        response: responses({ 201: invitationAnswer }, [409]),
        params: invitationParams,
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await invitationView(
            app,
            await reissueInvitation(db, actor(request), request.params.invitationId, await known(request)),
          ),
        ),
  );
}
