import type { FastifyInstance } from 'fastify';
import type { Keyring } from '../../store/reflection-crypto.ts';
import { appKeyring } from '../keyring.ts';
import { registerReflectionApi } from './api-routes.ts';
import { buildReflectionContext } from './context.ts';
import { registerJournalKeyRoutes } from './journal-key-routes.ts';
import { registerJournalRoutes } from './journal-routes.ts';
import { registerPracticeRoutes } from './practice-routes.ts';
import { registerSelfCheckRoutes } from './self-check-routes.ts';
import { registerSharingRoutes } from './sharing-routes.ts';

export { reminderHtml } from './page.ts';
export { setMeasuredEffectivenessProvider } from './context.ts';

/**
 * The reflection area (issue 9): self-check, journal, deliberate practice and sharing with a supervisor.
 * Everything is private to its owner unless shared item by item. The journal key comes from the
 * environment (see src/store/reflection-crypto.ts); tests may pass a keyring.
 */
export async function registerReflection(app: FastifyInstance, options: { keyring?: Keyring } = {}): Promise<void> {
  // From the validated config, not process.env: the settings checked at startup are the ones used.
  const keyring = options.keyring ?? appKeyring(app);
  const ctx = buildReflectionContext(app, keyring);
  registerSelfCheckRoutes(app, ctx);
  registerJournalRoutes(app, ctx);
  registerJournalKeyRoutes(app, ctx);
  registerPracticeRoutes(app, ctx);
  registerSharingRoutes(app, ctx);
  registerReflectionApi(app, ctx);
}
