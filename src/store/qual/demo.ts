import type { Kysely } from 'kysely';
import { demoProject } from '../../domain/qual/demo.ts';
import type { Keyring } from '../reflection-crypto.ts';
import type { Database } from '../schema.ts';
import { saveProject } from './projects.ts';

/**
 * Adds the seed-004 interview project to the demo organisation: the researcher is principal
 * investigator, two therapists are the coders (their layers come from the synthetic generator).
 */
export async function loadDemoQual(db: Kysely<Database>, keyring: Keyring, orgId: string): Promise<string | null> {
  const staff = await db
    .selectFrom('users')
    .select(['id', 'roles'])
    .where('org_id', '=', orgId)
    .orderBy('email')
    .execute();
  const investigator = staff.find((u) => u.roles.includes('researcher'));
  const coders = staff.filter((u) => u.roles.includes('therapist') && u.id !== investigator?.id).slice(0, 2);
  if (!investigator || coders.length < 2) return null;
  return saveProject(db, keyring, { orgId, userId: investigator.id, role: 'researcher' }, demoProject(), [
    { userId: investigator.id, role: 'investigator' },
    { userId: coders[0]!.id, role: 'coder', coderId: 'coder-a' },
    { userId: coders[1]!.id, role: 'coder', coderId: 'coder-b' },
  ]);
}
