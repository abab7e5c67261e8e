import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { sealAuditTrail } from '../../store/audit.ts';
import type { Database } from '../../store/schema.ts';

/**
 * Seals pending audit rows into the hash chain in the background (every `intervalMs`, ticks never
 * overlap). Several app instances may each run one: they take turns on the audit lock. Returns a stop
 * function that waits for the running tick and seals once more, so a clean shutdown leaves nothing
 * pending that was committed before it.
 */
export function startAuditSealer(
  db: Kysely<Database>,
  log?: FastifyBaseLogger,
  intervalMs = 1_000,
): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const seal = async () => {
    try {
      const sealed = await sealAuditTrail(db);
      if (sealed > 0) log?.debug({ sealed }, 'audit rows sealed');
    } catch (error) {
      log?.error({ err: error }, 'audit sealer error');
    }
  };
  const timer = setInterval(() => (running = running.then(() => (stopped ? undefined : seal()))), intervalMs);
  timer.unref();
  return async () => {
    if (stopped) return running.then(() => undefined);
    stopped = true;
    clearInterval(timer);
    running = running.then(seal);
    await running;
  };
}
