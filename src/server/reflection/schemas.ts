/** JSON schemas shared by the reflection routes (every route declares its body, params and query). */

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 64 } },
} as const;

export const csrfOnly = {
  type: 'object',
  properties: { _csrf: { type: 'string', maxLength: 200 }, returnTo: { type: 'string', maxLength: 200 } },
} as const;

/** A free form: any field name, each a string or (checkboxes) a list of strings. */
export const anyForm = {
  type: 'object',
  maxProperties: 400,
  additionalProperties: {
    anyOf: [
      { type: 'string', maxLength: 20_000 },
      { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 200 } },
    ],
  },
} as const;

/** Pages accept only the language switch as query. */
export const langQuery = { type: 'object', properties: { lang: { type: 'string', enum: ['nl', 'en'] } } } as const;
