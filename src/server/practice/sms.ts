import type { Env } from '../../config.ts';

/** Sends a text message. Spiegel ships one implementation (HTTP); SMS is off unless it is configured. */
export interface SmsProvider {
  send(to: string, text: string): Promise<void>;
}

/**
 * A generic HTTP gateway: POST {"to", "text"} as JSON to SPIEGEL_SMS_URL, with
 * `Authorization: Bearer SPIEGEL_SMS_TOKEN` when a token is set. Any 2xx answer counts as sent
 * (docs/operations.md shows how to point it at a provider or a small adapter).
 */
export class HttpSmsProvider implements SmsProvider {
  constructor(
    private readonly url: string,
    private readonly token: string | null,
    private readonly fetcher: typeof fetch = fetch,
  ) {}

  async send(to: string, text: string): Promise<void> {
    const response = await this.fetcher(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ to, text }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
  }
}

/** The configured provider, or null (SMS off): SPIEGEL_SMS_URL (https, or http on localhost). */
export function smsFromEnv(env: Env = process.env): SmsProvider | null {
  const url = env.SPIEGEL_SMS_URL;
  if (!url) return null;
  if (!/^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url))
    throw new Error('SPIEGEL_SMS_URL must be an https:// URL (or http:// on localhost).');
  return new HttpSmsProvider(url, env.SPIEGEL_SMS_TOKEN || null);
}
