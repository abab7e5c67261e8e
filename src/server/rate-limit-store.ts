import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { hitRateLimit, pruneRateLimits, readRateLimit } from '../store/rate-limits.ts';
import { appKeyring } from './keyring.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

const PRUNE_EVERY_MS = 5 * 60 * 1000;

/**
 * A store for @fastify/rate-limit that keeps the counters in the database (issue 21), so a limit holds
 * across app instances. The client address is never stored: the key is an HMAC of it under a key
 * derived from the journal key, prefixed with the route. Windows that ended are pruned now and then.
 */
export function databaseRateLimitStore(app: FastifyInstance) {
  let hmacKey: Buffer | null = null;
  let lastPrune = 0;
  const db = () => app.ctx.store.db;
  const secret = () =>
    (hmacKey ??= createHmac('sha256', appKeyring(app).current.key).update('spiegel-rate-limit-key-v1').digest());

  return class DatabaseRateLimitStore {
    private readonly prefix: string;

    constructor(prefix?: unknown) {
      this.prefix = typeof prefix === 'string' ? prefix : 'global';
    }

    private key(key: string): string {
      return `${this.prefix}:${createHmac('sha256', secret()).update(key).digest('base64url')}`;
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      hitRateLimit(db(), this.key(key), timeWindow).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
      const now = Date.now();
      if (now - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = now;
        pruneRateLimits(db()).catch((error: unknown) => app.log.warn({ err: error }, 'pruning rate limits failed'));
      }
    }

    read(key: string, callback: Callback): void {
      readRateLimit(db(), this.key(key)).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    }

    child(routeOptions: object): DatabaseRateLimitStore {
      // The plugin passes the merged route options with `routeInfo` (the route's method and url).
      const info = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
      const { method = '', url = '' } = info ?? {};
      return new DatabaseRateLimitStore(`${[method].flat().join(',')} ${url}`);
    }
  };
}
