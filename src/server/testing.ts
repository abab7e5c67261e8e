import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../config.ts';
import type { DialectName } from '../store/database.ts';
import { freshStore } from '../store/testing.ts';
import { hashPassword } from '../store/passwords.ts';
import { buildApp } from './app.ts';
import type { Role } from '../store/schema.ts';
import { shippedInstruments } from '../store/instrument-registry.ts';

export const TEST_PASSWORD = 'correct horse battery';

/** An app on a fresh database of the given dialect, for `inject()` tests. */
export async function testApp(dialect: DialectName) {
  const store = await freshStore(dialect);
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', SPIEGEL_DEMO: 'true' }), dataDir: 'memory' };
  const app = await buildApp({ store, config, instruments: shippedInstruments() });
  await app.ready();
  return {
    app,
    store,
    close: async () => {
      await app.close();
      await store.drop();
    },
  };
}

let passwordHash: Promise<string> | null = null;

export async function createOrg(
  app: FastifyInstance,
  slug: string,
  settings: Record<string, unknown> = {},
): Promise<string> {
  const row = await app.ctx.store.db
    .insertInto('organisations')
    .values({ slug, name: `Org ${slug}`, settings: JSON.stringify(settings) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function createUser(app: FastifyInstance, orgId: string, email: string, roles: Role[]): Promise<string> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const row = await app.ctx.store.db
    .insertInto('users')
    .values({
      org_id: orgId,
      email,
      display_name: email.split('@')[0],
      roles,
      gender: null,
      password_hash: await passwordHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function cookiesOf(response: LightMyRequestResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of response.cookies) out[c.name] = c.value;
  return out;
}

/** A browser-like agent: keeps cookies and reads CSRF tokens from pages. */
/** A CSRF token in a page: the hidden `_csrf` field or the `csrf-token` meta tag. */
export const CSRF_IN_PAGE = /name="_csrf" value="([^"]+)"|name="csrf-token" content="([^"]+)"/;

export class Agent {
  cookies: Record<string, string> = {};
  /** `ip`: the client address the server sees (per-IP rate limits); the inject default otherwise. */
  constructor(
    private readonly app: FastifyInstance,
    readonly ip?: string,
  ) {}

  async request(
    method: string,
    url: string,
    options: {
      form?: Record<string, string | string[]>;
      json?: unknown;
      headers?: Record<string, string>;
      accept?: string;
    } = {},
  ) {
    const headers: Record<string, string> = {
      accept: options.accept ?? 'text/html,application/json',
      ...options.headers,
    };
    let payload: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      // A field given as a list repeats, as a form with several checked boxes of one name sends it.
      payload = new URLSearchParams(
        Object.entries(options.form).flatMap(([k, v]) => [v].flat().map((x): [string, string] => [k, x])),
      ).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.json);
    }
    const response = await this.app.inject({
      method: method as 'GET',
      url,
      headers,
      payload,
      cookies: this.cookies,
      ...(this.ip ? { remoteAddress: this.ip } : {}),
    });
    Object.assign(this.cookies, cookiesOf(response));
    for (const c of response.cookies) if (c.expires && new Date(c.expires) < new Date()) delete this.cookies[c.name];
    return response;
  }

  /** Fetches a page and returns the CSRF token embedded in it. */
  async csrf(url = '/login'): Promise<string> {
    const page = await this.request('GET', url);
    const match = CSRF_IN_PAGE.exec(page.body);
    if (!match) throw new Error(`no CSRF token on ${url}`);
    return match[1] ?? match[2];
  }

  async login(email: string, password = TEST_PASSWORD, totp?: string) {
    const token = await this.csrf('/login');
    return this.request('POST', '/login', { form: { email, password, _csrf: token, ...(totp ? { totp } : {}) } });
  }
}
