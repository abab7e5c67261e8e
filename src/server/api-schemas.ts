// `typebox` itself, not @fastify/type-provider-typebox: the provider also loads TypeBox's compiler and value
// modules, about 380 files and 0.15 s of every server start.
import { Type, type TSchema } from 'typebox';

// Response schemas for the JSON API (decision 0030): TypeBox, so one schema gives the validation, the
// /docs entry and (through the type provider) the handler's types. Fastify serializes an answer through its
// response schema and drops properties the schema does not list, so every object here allows additional
// properties: the listed ones are documented, the rest pass through unchanged.

/** An object answer: the named properties are documented; others pass through unfiltered. */
export function Answer(description: string, properties: Record<string, TSchema> = {}) {
  return Type.Object(properties, { additionalProperties: true, description });
}

/** A list answer: `{ [key]: [...] }`. */
export function ListAnswer(description: string, key: string, item = 'one entry') {
  return Answer(description, { [key]: Type.Array(Type.Object({}, { additionalProperties: true, description: item })) });
}

export const Uuid = Type.String({ format: 'uuid' });
export const NoContent = Type.Null({ description: 'Done; no body.' });

const ERROR_MEANING: Record<number, string> = {
  400: 'The request is not valid (VALIDATION_FAILED and friends; `details.fields` names the fields).',
  401: 'Not logged in: the `spiegel_session` cookie is missing or expired.',
  403: 'Not allowed for your role, or the CSRF token (`x-csrf-token` header or `_csrf` field) is missing.',
  404: 'Not found, or not yours (the same answer, so nothing leaks).',
  409: 'A conflict with the current state (e.g. a duplicate code); reload and try again.',
  422: 'Understood but not possible in the current state.',
  429: 'Too many requests; try again later.',
  500: 'Something went wrong on our side; the error has been logged.',
  503: 'The database is not reachable; try again.',
};

/** The error body of every route (`SpiegelError.toJSON` in domain/errors.ts). */
function errorReply(status: number) {
  return Type.Object(
    {
      error: Type.Object(
        {
          code: Type.String({ description: 'A stable code from the error registry (domain/errors.ts).' }),
          message: Type.String(),
          details: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: true },
      ),
    },
    { additionalProperties: true, description: ERROR_MEANING[status] },
  );
}

const STAFF_ERRORS = [400, 401, 403, 404, 429, 500, 503];

/** `response` for a staff JSON route: its successes (201 and 204 included) and the errors it can answer. */
export function responses(success: Record<number, TSchema>, extraErrors: number[] = []): Record<number, TSchema> {
  const out: Record<number, TSchema> = { ...success };
  for (const status of [...STAFF_ERRORS, ...extraErrors].sort()) out[status] = errorReply(status);
  return out;
}
