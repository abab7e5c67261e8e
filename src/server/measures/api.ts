import { instrumentsFor } from '../org-instrument-registry.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
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

const uuid = { type: 'string', format: 'uuid' } as const;
const date = { type: 'string', format: 'date' } as const;
const episodeParams = { type: 'object', required: ['episodeId'], properties: { episodeId: uuid } } as const;
const invitationParams = { type: 'object', required: ['invitationId'], properties: { invitationId: uuid } } as const;
const own = (resource: string) => ({ access: { kind: 'own' as const, roles: ['therapist' as const], resource } });
const therapistOnly = { access: { kind: 'staff' as const, roles: ['therapist' as const] } };

function actor(request: FastifyRequest): Actor {
  return { staff: request.staff!, ip: request.ip };
}

/** The link and QR code of a new invitation. The token exists only in this answer; it is never stored. */
export async function invitationView(app: FastifyInstance, issued: IssuedInvitation) {
  const url = `${app.ctx.config.publicUrl}/m/${issued.token}`;
  const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
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

  app.post<{ Body: { code: string; alias?: string | null } }>(
    '/api/clients',
    {
      config: therapistOnly,
      preValidation: csrf,
      schema: {
        tags: ['clients'],
        summary: 'Create a client (pseudonymous code; alias seen only by the therapist)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['code'],
          properties: {
            code: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$' },
            alias: { type: ['string', 'null'], maxLength: 80 },
          },
        },
      },
    },
    async (request, reply) => reply.code(201).send(await createClient(db, actor(request), request.body)),
  );

  app.get(
    '/api/clients',
    { config: therapistOnly, schema: { tags: ['clients'], summary: 'The caller’s own clients' } },
    async (request) => ({ clients: await listClients(db, actor(request)) }),
  );

  app.post<{ Body: Parameters<typeof createEpisode>[2] }>(
    '/api/episodes',
    {
      config: own('client'),
      preValidation: csrf,
      schema: {
        tags: ['episodes'],
        summary: 'Open an episode with participants and a measurement plan',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['clientId', 'modality', 'startedOn'],
          properties: {
            clientId: uuid,
            modality: { type: 'string', enum: ['individual', 'couple', 'family', 'group'] },
            participants: {
              type: 'array',
              maxItems: 20,
              items: {
                anyOf: [
                  { type: 'string', minLength: 1, maxLength: 40 },
                  {
                    type: 'object',
                    additionalProperties: false,
                    required: ['label'],
                    properties: {
                      label: { type: 'string', minLength: 1, maxLength: 40 },
                      role: { type: ['string', 'null'], maxLength: 40 },
                      email: { type: ['string', 'null'], maxLength: 200 },
                      phone: { type: ['string', 'null'], maxLength: 20 },
                      lang: { type: 'string', enum: ['nl', 'en'] },
                    },
                  },
                ],
              },
            },
            startedOn: date,
            withoutPlan: { type: 'boolean' },
            plans: {
              type: 'array',
              maxItems: 20,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['instrumentId', 'schedule'],
                properties: {
                  instrumentId: { type: 'string', maxLength: 80 },
                  schedule: { type: 'string', enum: ['every_session', 'intake', 'every_n', 'end'] },
                  everyN: { type: ['integer', 'null'], minimum: 2, maximum: 52 },
                },
              },
            },
          },
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createEpisode(db, actor(request), request.body, await known(request))),
  );

  app.get<{ Params: { episodeId: string } }>(
    '/api/episodes/:episodeId',
    {
      config: own('episode'),
      schema: { tags: ['episodes'], summary: 'One of the caller’s episodes', params: episodeParams },
    },
    async (request) => getEpisode(db, actor(request), request.params.episodeId),
  );

  app.patch<{
    Params: { episodeId: string };
    Body: { status: 'active' | 'completed' | 'dropped'; endedOn?: string | null };
  }>(
    '/api/episodes/:episodeId',
    {
      config: own('episode'),
      preValidation: csrf,
      schema: {
        tags: ['episodes'],
        summary: 'Close or reopen an episode',
        params: episodeParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['status'],
          properties: {
            status: { type: 'string', enum: ['active', 'completed', 'dropped'] },
            endedOn: { anyOf: [date, { type: 'null' }] },
          },
        },
      },
    },
    async (request, reply) => {
      await setEpisodeStatus(db, actor(request), request.params.episodeId, request.body);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { episodeId: string }; Body: { heldOn: string; number?: number } }>(
    '/api/episodes/:episodeId/sessions',
    {
      config: own('episode'),
      preValidation: csrf,
      schema: {
        tags: ['episodes'],
        summary: 'Record a session',
        params: episodeParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['heldOn'],
          properties: { heldOn: date, number: { type: 'integer', minimum: 1, maximum: 500 } },
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addSession(db, actor(request), request.params.episodeId, request.body)),
  );

  app.post<{
    Params: { episodeId: string };
    Body: {
      participantId: string;
      sessionNumber?: number;
      instrumentIds?: string[];
      expiresInDays?: number;
      lang?: 'nl' | 'en';
    };
  }>(
    '/api/episodes/:episodeId/invitations',
    {
      config: own('episode'),
      preValidation: csrf,
      schema: {
        tags: ['invitations'],
        summary: 'Create a single-use invitation link and QR code for one participant',
        params: episodeParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['participantId'],
          properties: {
            participantId: uuid,
            sessionNumber: { type: 'integer', minimum: 1, maximum: 500 },
            instrumentIds: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'string', maxLength: 80 } },
            expiresInDays: { type: 'integer', minimum: 1, maximum: 60 },
            lang: { type: 'string', enum: ['nl', 'en'] },
          },
        },
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

  app.get<{ Params: { episodeId: string } }>(
    '/api/episodes/:episodeId/invitations',
    {
      config: own('episode'),
      schema: {
        tags: ['invitations'],
        summary: 'Invitations of an episode (never their tokens)',
        params: episodeParams,
      },
    },
    async (request) => ({ invitations: await listInvitations(db, actor(request), request.params.episodeId) }),
  );

  app.post<{ Params: { invitationId: string } }>(
    '/api/invitations/:invitationId/revoke',
    {
      config: own('invitation'),
      preValidation: csrf,
      schema: { tags: ['invitations'], summary: 'Revoke an invitation', params: invitationParams },
    },
    async (request, reply) => {
      await revokeInvitation(db, actor(request), request.params.invitationId);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { invitationId: string } }>(
    '/api/invitations/:invitationId/reissue',
    {
      config: own('invitation'),
      preValidation: csrf,
      schema: {
        tags: ['invitations'],
        summary: 'Revoke an unused invitation and issue a new link',
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
