import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** Stamps the first time a client opens an invitation link (the "opened" of the reach figures). */
export async function markInvitationOpened(
  db: Kysely<Database>,
  invitationId: string,
  now = new Date(),
): Promise<void> {
  await db
    .updateTable('invitations')
    .set({ opened_at: now })
    .where('id', '=', invitationId)
    .where('opened_at', 'is', null)
    .execute();
}
