import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { nextIp } from '../testing-world.ts';
import { TEST_PASSWORD } from '../testing.ts';

/**
 * A browser-like agent with its own client IP (so per-IP rate limits of one test do not spill into
 * the next), keeping cookies and reading CSRF tokens from pages.
 */
export class IpAgent {
  cookies: Record<string, string> = {};
  readonly ip = nextIp();
  constructor(private readonly app: FastifyInstance) {}

  async request(method: string, url: string, options: { form?: Record<string, string>; json?: unknown; accept?: string } = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { accept: options.accept ?? 'text/html,application/json' };
    let payload: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.json);
      const csrf = this.csrfToken;
      if (csrf) headers['x-csrf-token'] = csrf;
    }
    const res = await this.app.inject({ method: method as 'GET', url, headers, payload, cookies: this.cookies, remoteAddress: this.ip });
    for (const c of res.cookies) {
      if (c.expires && new Date(c.expires) < new Date()) delete this.cookies[c.name];
      else this.cookies[c.name] = c.value;
    }
    const token = /name="_csrf" value="([^"]+)"|name="csrf-token" content="([^"]+)"/.exec(res.body);
    if (token) this.csrfToken = token[1] ?? token[2];
    return res;
  }

  csrfToken: string | null = null;

  /** Posts a form with the CSRF token from the last page seen. */
  post(url: string, form: Record<string, string>) {
    return this.request('POST', url, { form: { ...form, _csrf: this.csrfToken ?? '' } });
  }

  async login(email: string, password = TEST_PASSWORD, totp?: string) {
    await this.request('GET', '/login');
    return this.post('/login', { email, password, ...(totp ? { totp } : {}) });
  }
}
