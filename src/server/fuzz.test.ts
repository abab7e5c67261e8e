import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Role } from '../store/schema.ts';
import { describeEachDialect } from '../store/testing.ts';
import type { DeclaredRoute } from './access.ts';
import { buildWorld, nextIp, type ResourceKind, type World } from './testing-world.ts';
import { testApp } from './testing.ts';

// A bounded fuzz pass over EVERY declared route, on both databases: malformed input of many kinds
// (random bytes, wrong types, huge strings, bad JSON, odd content types, path traversal, SQL
// metacharacters, parameter pollution) must never produce a 5xx or a stack trace (ASVS 5.1.x, 7.4.1).
// The generator is seeded, so a failure reproduces: the message names the route and the request.

const REQUESTS_PER_ROUTE = 30; // random requests, plus HOSTILE.length schema-shaped ones: ≤ 40 per route
const SEED = 20_260_508;

const NASTY = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  '1; SELECT pg_sleep(0)',
  '$1',
  '%',
  '_',
  '\\',
  '\u0000',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  '__proto__',
  'constructor',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '-1',
  '1e309',
  'NaN',
  '9'.repeat(40),
  '😀'.repeat(50),
  '\ud800',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  'multipart/form-data',
  'application/octet-stream',
  'application/fhir+json',
  '',
  'application/json; boundary=;;',
];

/** Body field names the routes use, so some generated bodies hit real fields with wrong values. */
const FIELD_NAMES = [
  'email',
  'password',
  'repeat',
  'current',
  'token',
  'code',
  'confirmCode',
  'roles',
  'active',
  'displayName',
  'requireTotp',
  'auditRetentionDays',
  'clientRetentionYears',
  'status',
  'endedOn',
  'clientId',
  'participantId',
  'modality',
  'startedOn',
  'heldOn',
  'number',
  'submission_key',
  '_csrf',
];

const PARAM_KINDS: Record<string, ResourceKind> = {
  clientId: 'client',
  episodeId: 'episode',
  participantId: 'participant',
  planId: 'plan',
  sessionId: 'therapySession',
  invitationId: 'invitation',
  responseId: 'response',
  alertId: 'alert',
  userId: 'user',
};

/** Strings sent in every string field of a route's schema, one request each, with all else valid. */
const HOSTILE = [
  '\u0000',
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '../../../../etc/passwd',
  '%_\\',
  '<script>alert(1)</script>',
  'x'.repeat(10_000),
  '😀\ud800',
  ' ',
  '-1',
];

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
};

function accepts(schema: JsonSchema, type: string): boolean {
  if (schema.anyOf) return schema.anyOf.some((s) => accepts(s, type));
  return Array.isArray(schema.type) ? schema.type.includes(type) : schema.type === type;
}

/** A value of the right type for `schema`, with `hostile` in every string position; known ids stay valid. */
function shaped(world: World, name: string, schema: JsonSchema, hostile: string): unknown {
  const kind = PARAM_KINDS[name];
  if (kind && schema.format === 'uuid') return world.id(kind, 'own');
  if (accepts(schema, 'string')) return hostile;
  if (accepts(schema, 'integer') || accepts(schema, 'number')) return 1;
  if (accepts(schema, 'boolean')) return false;
  if (accepts(schema, 'array')) return [shaped(world, name, schema.items ?? { type: 'string' }, hostile)];
  if (accepts(schema, 'null')) return null;
  if (schema.properties)
    return Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, shaped(world, k, v, hostile)]));
  return hostile;
}

function schemaShapedRequests(world: World, route: DeclaredRoute): FuzzRequest[] {
  const schema = (route.schema ?? {}) as { body?: JsonSchema; querystring?: JsonSchema; params?: JsonSchema };
  return HOSTILE.map((hostile) => {
    let path = route.url;
    for (const [, name] of route.url.matchAll(/:([A-Za-z]+)/g)) {
      const value = shaped(world, name, schema.params?.properties?.[name] ?? { type: 'string' }, hostile);
      path = path.replace(`:${name}`, safeEncode(String(value)) || 'x');
    }
    const query = schema.querystring?.properties
      ? new URLSearchParams(Object.keys(schema.querystring.properties).map((k) => [k, hostile])).toString()
      : '';
    const body = schema.body ? JSON.stringify(shaped(world, '', schema.body, hostile)) : undefined;
    return { path, query, contentType: body ? 'application/json' : '', payload: body };
  });
}

interface FuzzRequest {
  path: string;
  query: string;
  contentType: string;
  payload: string | Buffer | undefined;
}

const nasty = fc.constantFrom(...NASTY);
const text = fc.oneof(
  nasty,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constant('x'.repeat(70_000)),
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const jsonValue = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 5 }),
  fc.dictionary(fc.oneof(nasty, fc.string({ maxLength: 10 })), scalar, { maxKeys: 6 }),
  fc.anything({ maxDepth: 3 }),
);

function bodyArbitrary(
  knownFields: string[],
): fc.Arbitrary<{ contentType: string; payload: string | Buffer | undefined }> {
  const field = knownFields.length ? fc.constantFrom(...knownFields) : fc.string({ maxLength: 8 });
  const wrongTypes = fc.dictionary(field, jsonValue, { maxKeys: 5 }).map((o) => JSON.stringify(o));
  return fc.oneof(
    fc.record({
      contentType: fc.constantFrom(...CONTENT_TYPES),
      payload: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    }),
    fc.record({ contentType: fc.constant('application/json'), payload: wrongTypes }),
    fc.record({
      contentType: fc.constant('application/json'),
      payload: fc.constantFrom(
        '{"a":',
        '[',
        'null',
        '"x"',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        '{}{}',
        '\u0000',
      ),
    }),
    fc.record({ contentType: fc.constantFrom(...CONTENT_TYPES), payload: fc.string({ maxLength: 200 }) }),
    fc.record({
      contentType: fc.constant('application/x-www-form-urlencoded'),
      payload: fc.array(fc.tuple(field, text), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString()),
    }),
    fc.record({
      contentType: fc.constant('application/json'),
      payload: fc.constant(JSON.stringify({ x: 'y'.repeat(300 * 1024) })),
    }),
    fc.record({ contentType: fc.constant('application/json'), payload: fc.constant(undefined) }),
  );
}

const queryArbitrary = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.oneof(
          nasty,
          fc.constantFrom('lang', 'code', 'actor', 'action', 'from', 'to', 'outcome', 'before', 'notice', 'subject'),
        ),
        text,
      ),
      { maxLength: 4 },
    )
    .map((pairs) => new URLSearchParams(pairs).toString()),
  fc.constantFrom(
    'a=1&a=2',
    '__proto__[admin]=1',
    'constructor[prototype][x]=1',
    'from=2024-13-45',
    'before=-1',
    'lang[]=nl',
    '%ZZ',
    'x=%00',
  ),
);

/** encodeURIComponent refuses lone surrogates; a browser would send U+FFFD for them. */
function safeEncode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}

function requestsFor(world: World, url: string, schemaFields: string[], seed: number): FuzzRequest[] {
  const paramNames = [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
  const paramValue = (name: string) => {
    const kind = PARAM_KINDS[name];
    return kind ? fc.oneof(fc.constant(world.id(kind, 'own')), text) : text;
  };
  const params = fc.tuple(...paramNames.map(paramValue));
  const arb = fc.record({ params, query: queryArbitrary, body: bodyArbitrary(schemaFields) });
  return fc.sample(arb, { seed, numRuns: REQUESTS_PER_ROUTE }).map(({ params: values, query, body }) => {
    let path = url;
    paramNames.forEach((name, i) => (path = path.replace(`:${name}`, safeEncode(String(values[i])) || 'x')));
    return { path, query, contentType: body.contentType, payload: body.payload };
  });
}

describeEachDialect('fuzz every route', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let world: World;
  beforeAll(async () => {
    t = await testApp(dialect);
    world = await buildWorld(t.app);
  });
  afterAll(() => t.close());

  it(`answers malformed input on every declared route without a 5xx or a stack trace (ASVS 5.1.3, 5.1.4, 5.3.4, 7.4.1; ≤ ${REQUESTS_PER_ROUTE} requests per route)`, async () => {
    const failures: string[] = [];
    const routes = t.app.declaredRoutes.filter((r) => !r.url.startsWith('/docs'));
    expect(routes.length).toBeGreaterThan(20);
    let seed = SEED;
    for (const route of routes) {
      const access = route.access;
      // Call as someone the route lets in, so the input reaches validation and the handler.
      const role = access && access.kind !== 'public' ? (access.roles[0] as Role) : null;
      const caller = role ? world.callers[role] : null;
      for (const req of [
        ...schemaShapedRequests(world, route),
        ...requestsFor(world, route.url, FIELD_NAMES, seed++),
      ]) {
        const { cookies, headers } = await world.as(caller);
        const allHeaders: Record<string, string> = { ...headers, accept: 'application/json' };
        if (req.contentType) allHeaders['content-type'] = req.contentType;
        const url = req.query ? `${req.path}?${req.query}` : req.path;
        const res = await t.app.inject({
          method: route.method as 'POST',
          url,
          headers: allHeaders,
          cookies,
          payload: route.method === 'GET' ? undefined : req.payload,
          remoteAddress: nextIp(),
        });
        if (res.statusCode >= 500 || /at .+\.(ts|js):\d+/.test(res.body)) {
          failures.push(
            `${route.method} ${url.slice(0, 200)} [${req.contentType}] ${String(req.payload ?? '').slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
