import type { FastifyInstance } from 'fastify';
import { nextIp } from '../testing-world.ts';
import { Agent, CSRF_IN_PAGE, TEST_PASSWORD } from '../testing.ts';

/**
 * An Agent with its own client IP (so per-IP rate limits of one test do not spill into the next) that
 * keeps the CSRF token of the last page it saw and sends it with forms and JSON, as a browser does.
 */
export class IpAgent extends Agent {
  csrfToken: string | null = null;
  constructor(app: FastifyInstance) {
    super(app, nextIp());
  }

  override async request(method: string, url: string, options: Parameters<Agent['request']>[2] = {}) {
    const headers =
      options.json !== undefined && this.csrfToken
        ? { 'x-csrf-token': this.csrfToken, ...options.headers }
        : options.headers;
    const res = await super.request(method, url, { ...options, headers });
    const token = CSRF_IN_PAGE.exec(res.body);
    if (token) this.csrfToken = token[1] ?? token[2];
    return res;
  }

  /** Posts a form with the CSRF token from the last page seen. */
  post(url: string, form: Record<string, string>) {
    return this.request('POST', url, { form: { ...form, _csrf: this.csrfToken ?? '' } });
  }

  override async login(email: string, password = TEST_PASSWORD, totp?: string) {
    await this.request('GET', '/login');
    return this.post('/login', { email, password, ...(totp ? { totp } : {}) });
  }
}
