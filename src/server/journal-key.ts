import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SpiegelError } from '../domain/errors.ts';
import { ownerKeyring } from '../store/journal-keys.ts';
import type { Keyring } from '../store/reflection-crypto.ts';
import { sessionJournalKey } from './auth/guard.ts';
import { appKeyring } from './keyring.ts';

/** The signed-in staff member's journal data key; JOURNAL_KEY_MISSING when the session has none. */
export function ownJournalKey(app: FastifyInstance, request: FastifyRequest): Buffer {
  const dk = sessionJournalKey(app, request);
  if (!dk) throw new SpiegelError('JOURNAL_KEY_MISSING');
  return dk;
}

/** The owner's keyring for their own reflections, and the instance keyring; JOURNAL_KEY_MISSING without one. */
export function ownKeys(
  app: FastifyInstance,
  request: FastifyRequest,
  instance: Keyring = appKeyring(app),
): { owner: Keyring; instance: Keyring } {
  return { owner: ownerKeyring(ownJournalKey(app, request), instance), instance };
}
