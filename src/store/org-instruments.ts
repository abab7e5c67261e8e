import type { Kysely } from 'kysely';
import type { InstrumentRegistry } from '../domain/instruments/registry.ts';
import type { Database } from './schema.ts';

/**
 * The instruments an organisation can use: shipped-by-default ones unless switched off, plus the ones
 * an admin enabled (restricted licences only after acknowledging them).
 */
export async function usableInstrumentIds(
  db: Kysely<Database>,
  registry: InstrumentRegistry,
  orgId: string,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('org_instruments')
    .select(['instrument_id', 'enabled'])
    .where('org_id', '=', orgId)
    .execute();
  const explicit = new Map(rows.map((r) => [r.instrument_id, r.enabled]));
  const usable = new Set<string>();
  for (const scorer of registry.all()) {
    const byDefault = scorer.spec?.catalog.shippedByDefault === true && scorer.spec.catalog.audience !== 'therapist';
    if (explicit.get(scorer.instrumentId) ?? byDefault) usable.add(scorer.instrumentId);
  }
  return usable;
}
