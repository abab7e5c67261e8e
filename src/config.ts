import { SpiegelError } from './domain/errors.ts';

/** Spiegel's runtime configuration, read once from the environment and validated. */
export interface Config {
  host: string;
  port: number;
  /** PostgreSQL connection string; when absent Spiegel runs on embedded PGlite. */
  databaseUrl: string | null;
  dbPoolMax: number;
  /** Directory for PGlite data, instrument imports and the process lock. */
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Public base URL used in invitation links and QR codes. */
  publicUrl: string;
  /** Marks cookies Secure and sends HSTS. Off only for plain-http localhost. */
  secureCookies: boolean;
  /** Demo mode: the development journal key is allowed and demo logins are shown. Off unless asked for. */
  demoMode: boolean;
  /** Time (ms) given to in-flight requests on SIGINT/SIGTERM before closing. */
  shutdownGraceMs: number;
  /** Fastify's trustProxy: false, true, a hop count or a comma-separated list of proxy addresses. */
  trustProxy: boolean | number | string;
  /** Login attempts per minute per client address (ASVS 2.2.1; account lockout applies as well). */
  loginRatePerMinute: number;
  /** SPIEGEL_JOURNAL_KEY and SPIEGEL_JOURNAL_KEYS_OLD, as given; the reflection module parses them. */
  journalKey?: string;
  journalKeysOld?: string;
  /** How often (ms) the job worker looks for due jobs, and how long (ms) a claimed job's lease runs. */
  jobPollMs?: number;
  jobLeaseMs?: number;
}

export type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function invalid(name: string, value: string, expected: string): SpiegelError {
  return new SpiegelError('CONFIG_INVALID', `${name}=${JSON.stringify(value)} is not valid: expected ${expected}.`, {
    setting: name,
  });
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw invalid(name, raw, `a whole number from ${min} to ${max}`);
  const value = Number(raw);
  if (value < min || value > max) throw invalid(name, raw, `a whole number from ${min} to ${max}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw invalid(name, raw, 'true or false');
}

function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || /^(false|0|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return true;
  if (/^[1-9]\d?$/.test(raw)) return Number(raw);
  if (/^[0-9a-fA-F.:/, ]+$/.test(raw)) return raw;
  throw invalid('SPIEGEL_TRUST_PROXY', raw, 'false, true, a hop count or proxy addresses (comma-separated)');
}

/** Reads and validates the configuration. Throws CONFIG_INVALID with the offending setting named. */
export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw invalid('DATABASE_URL', databaseUrl.replace(/:[^:@/]*@/, ':***@'), 'a postgres:// or postgresql:// URL');
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw invalid('LOG_LEVEL', logLevel, LOG_LEVELS.join(', '));
  const publicUrl = (env.SPIEGEL_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(publicUrl)) throw invalid('SPIEGEL_PUBLIC_URL', publicUrl, 'an http(s) URL');
  return {
    host,
    port,
    databaseUrl,
    dbPoolMax: integer(env, 'SPIEGEL_DB_POOL_MAX', 10, 1, 500),
    dataDir: env.SPIEGEL_DATA_DIR || '.spiegel',
    logLevel,
    publicUrl,
    secureCookies: boolean(env, 'SPIEGEL_SECURE_COOKIES', publicUrl.startsWith('https://')),
    demoMode: boolean(env, 'SPIEGEL_DEMO', false),
    shutdownGraceMs: integer(env, 'SPIEGEL_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    loginRatePerMinute: integer(env, 'SPIEGEL_LOGIN_RATE_PER_MINUTE', 10, 1, 100_000),
    trustProxy: trustProxy(env.SPIEGEL_TRUST_PROXY),
    journalKey: env.SPIEGEL_JOURNAL_KEY,
    journalKeysOld: env.SPIEGEL_JOURNAL_KEYS_OLD,
    jobPollMs: integer(env, 'SPIEGEL_JOB_POLL_MS', 5_000, 50, 3_600_000),
    jobLeaseMs: integer(env, 'SPIEGEL_JOB_LEASE_MS', 60_000, 500, 86_400_000),
  };
}

/** Secrets the server refuses to start without outside demo mode. */
export const REQUIRED_SECRETS = ['SPIEGEL_JOURNAL_KEY'] as const;

/**
 * Fails closed: outside demo mode every required secret must be set, or the server does not start.
 * One line names all that are missing, so an operator fixes them in one go.
 */
export function assertRequiredSecrets(env: Env, config: Pick<Config, 'demoMode'>): void {
  if (config.demoMode) return;
  const missing = REQUIRED_SECRETS.filter((name) => !env[name] || env[name]!.trim() === '');
  if (missing.length > 0)
    throw new SpiegelError(
      'CONFIG_MISSING',
      `Missing required settings: ${missing.join(', ')} (outside demo mode; see docs/operations.md, "Secrets").`,
      { settings: missing },
    );
}
