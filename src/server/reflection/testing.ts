import type { FastifyInstance } from 'fastify';
import { completeCheck, startCheck } from '../../store/reflection-checks.ts';
import type { Actor } from '../../store/reflection-common.ts';
import { keyringFromEnv } from '../../store/reflection-crypto.ts';
import { createEntry } from '../../store/reflection-journal.ts';
import { createGoal, logPractice } from '../../store/reflection-practice.ts';
import { createShare } from '../../store/reflection-shares.ts';

/**
 * Test support for the access matrix (src/server/testing-world.ts): one of each reflection resource
 * for a therapist, optionally with the journal entry shared with a supervisor. Uses the same keyring
 * the app derives from the environment (in tests: the development key).
 */
export async function createReflectionRecords(
  app: FastifyInstance,
  owner: { orgId: string; userId: string },
  shareWith: string | null,
): Promise<{ selfCheck: string; journalEntry: string; practiceGoal: string; share: string | null }> {
  const { db } = app.ctx.store;
  const { keyring } = keyringFromEnv(process.env, app.ctx.config.demoMode);
  const actor: Actor = { ...owner, roles: ['therapist'] };
  const selfCheck = await startCheck(db, keyring, actor);
  await completeCheck(db, keyring, actor, selfCheck, {
    answers: { 'crying-proneness': 5 },
    scores: { tears: { cryingProneness: 5, clientCryingAttitude: null }, brs: null },
  });
  const journalEntry = await createEntry(db, keyring, actor, {
    template: 'free',
    mode: null,
    title: 'World entry',
    occurredOn: null,
    fields: { text: 'World text' },
    tags: [],
  });
  const practiceGoal = await createGoal(db, keyring, actor, 'humour', {
    title: 'World goal',
    customSkill: null,
    description: '',
  });
  await logPractice(db, keyring, actor, {
    goalId: practiceGoal,
    practisedOn: '2024-03-01',
    minutes: 10,
    content: { practised: 'World practice', feedback: '' },
  });
  const share = shareWith
    ? await createShare(db, { owner: keyring, instance: keyring }, actor, 'journal_entry', journalEntry, shareWith)
    : null;
  return { selfCheck, journalEntry, practiceGoal, share };
}
