import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/spiegel.js', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const KEY = Buffer.alloc(32, 7).toString('base64');

/** Bad configuration: one clear line on stderr, a non-zero exit, never a stack trace. */
describe('spiegel CLI: bad configuration', () => {
  it.each([
    [
      { PORT: 'abc' },
      'spiegel serve: CONFIG_INVALID: PORT="abc" is not valid: expected a whole number from 0 to 65535.',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'spiegel serve: CONFIG_INVALID: LOG_LEVEL="loud" is not valid: expected fatal, error, warn, info, debug, trace, silent.',
    ],
    [
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', SPIEGEL_JOURNAL_KEY: KEY },
      'spiegel serve: DATABASE_UNAVAILABLE: Cannot connect to PostgreSQL at postgres://postgres@127.0.0.1:1/none:',
    ],
  ])('%o', async (env, line) => {
    const result = await run(['serve'], env as Record<string, string>);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(line);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('fails closed: outside demo mode, no start without the journal key (one line, exit 1, no database opened)', async () => {
    const dir = `/tmp/spiegel-secret-test-${process.pid}`;
    const result = await run(['serve'], { SPIEGEL_JOURNAL_KEY: '', SPIEGEL_DEMO: '', SPIEGEL_DATA_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'spiegel serve: CONFIG_MISSING: Missing required settings: SPIEGEL_JOURNAL_KEY (outside demo mode; see docs/operations.md, "Secrets").',
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a port that is already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await run(['serve'], {
        PORT: String(port),
        SPIEGEL_JOURNAL_KEY: KEY,
        SPIEGEL_DATA_DIR: `/tmp/spiegel-port-test-${process.pid}`,
      });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `spiegel serve: PORT_IN_USE: Port ${port} on 127.0.0.1 is already in use. Stop the other process or set PORT to another port.`,
      );
    } finally {
      blocker.close();
      rmSync(`/tmp/spiegel-port-test-${process.pid}`, { recursive: true, force: true });
    }
  });

  it('lists the commands and answers an unknown one with usage', async () => {
    const help = await run(['--help'], {});
    expect(help.code).toBe(0);
    for (const name of [
      'serve',
      'migrate',
      'demo',
      'backup',
      'restore',
      'audit',
      'analyze',
      'stats',
      'instruments',
      'reflection',
    ])
      expect(help.stdout).toContain(`  ${name}`);
    const unknown = await run(['frobnicate'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("spiegel: unknown command 'frobnicate'");
  });
});

/** The CLI contract of docs/cli.md on seed 000's reported results (issue 19, Done when). */
describe('spiegel research check', () => {
  it('flags the affective-empathy result and the two t-values that do not fit their means, exit 1', async () => {
    const r = await run(['research', 'check', '--input', 'test/fixtures/research/seed000-reported.json'], {});
    expect(r.code).toBe(1);
    const { results } = JSON.parse(r.stdout) as { results: { id: string; consistent: boolean | null }[] };
    const bad = results.filter((x) => x.consistent === false).map((x) => x.id);
    expect(bad).toEqual(
      expect.arrayContaining([
        'affective-empathy-vs-norm',
        'cbt-vs-client-centred',
        'psychotherapists-vs-psychologists',
      ]),
    );
    expect(results.find((x) => x.id === 'crying-proneness-vs-norm')!.consistent).toBe(true);
  });
});
