import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBeNull();
    expect(config.dataDir).toBe('.spiegel');
    expect(config.secureCookies).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT="eighty" is not valid: expected a whole number from 0 to 65535.'],
    [{ PORT: '70000' }, 'PORT="70000" is not valid: expected a whole number from 0 to 65535.'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud" is not valid: expected fatal, error, warn, info, debug, trace, silent.'],
    [
      { DATABASE_URL: 'mysql://x' },
      'DATABASE_URL="mysql://x" is not valid: expected a postgres:// or postgresql:// URL.',
    ],
    [{ SPIEGEL_DEMO: 'maybe' }, 'SPIEGEL_DEMO="maybe" is not valid: expected true or false.'],
  ])('rejects %o with one clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads trustProxy: off by default, true, a hop count or proxy addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ SPIEGEL_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ SPIEGEL_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ SPIEGEL_TRUST_PROXY: '10.0.0.1, 10.0.0.2' }).trustProxy).toBe('10.0.0.1, 10.0.0.2');
    expect(() => loadConfig({ SPIEGEL_TRUST_PROXY: 'everyone' })).toThrow(/SPIEGEL_TRUST_PROXY/);
    expect(loadConfig({}).demoMode).toBe(false); // fails closed: demo mode only when asked for
  });

  it('never echoes a database password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@h/db' })).toThrow(/\*\*\*/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@h/db' })).not.toThrow(/secret/);
  });
});
