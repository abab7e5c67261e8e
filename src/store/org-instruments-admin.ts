import type { Kysely } from 'kysely';
import { instrumentCatalogEntry, licenceUseError } from '../domain/instruments/catalog.ts';
import type { InstrumentRegistry } from '../domain/instruments/registry.ts';
import type { Actor } from './clients.ts';
import { auditBase } from './clients.ts';
import { appendAudit } from './audit.ts';
import type { Database } from './schema.ts';
import { usableInstrumentIds } from './org-instruments.ts';

/** The organisation's instrument catalogue: licence, restrictions, and whether it is enabled. */
export async function instrumentCatalogue(db: Kysely<Database>, registry: InstrumentRegistry, orgId: string) {
  const usable = await usableInstrumentIds(db, registry, orgId);
  const acks = await db
    .selectFrom('org_instruments')
    .select(['instrument_id', 'licence_acknowledged_at'])
    .where('org_id', '=', orgId)
    .execute();
  const acknowledged = new Map(acks.map((a) => [a.instrument_id, a.licence_acknowledged_at]));
  return registry.all().map((scorer) => ({
    entry: instrumentCatalogEntry(scorer.questionnaire, scorer.spec),
    enabled: usable.has(scorer.instrumentId),
    acknowledgedAt: acknowledged.get(scorer.instrumentId) ?? null,
  }));
}

/**
 * Enables or disables an instrument for the organisation. A restricted licence (e.g. CC BY-NC-ND)
 * must be acknowledged by the admin first; the acknowledgement is stored and audited.
 */
export async function setInstrumentEnabled(
  db: Kysely<Database>,
  registry: InstrumentRegistry,
  actor: Actor,
  instrumentId: string,
  enabled: boolean,
  acknowledge: boolean,
): Promise<void> {
  const scorer = registry.get(instrumentId);
  const entry = instrumentCatalogEntry(scorer.questionnaire, scorer.spec);
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('org_instruments')
      .select(['licence_acknowledged_at'])
      .where('org_id', '=', actor.staff.orgId)
      .where('instrument_id', '=', instrumentId)
      .executeTakeFirst();
    const alreadyAcknowledged = Boolean(existing?.licence_acknowledged_at);
    if (enabled) {
      const problem = licenceUseError(entry, alreadyAcknowledged || acknowledge);
      if (problem) throw problem;
    }
    const ack =
      enabled && acknowledge && !alreadyAcknowledged
        ? { licence_acknowledged_by: actor.staff.userId, licence_acknowledged_at: new Date() }
        : {};
    await trx
      .insertInto('org_instruments')
      .values({ org_id: actor.staff.orgId, instrument_id: instrumentId, enabled, ...ack })
      .onConflict((oc) => oc.columns(['org_id', 'instrument_id']).doUpdateSet({ enabled, ...ack }))
      .execute();
    await appendAudit(trx, {
      ...auditBase(actor),
      action: enabled ? 'instrument.enable' : 'instrument.disable',
      subjectType: 'instrument',
      subjectId: instrumentId,
      outcome: 'ok',
      details: { licenceAcknowledged: Boolean(ack.licence_acknowledged_at) },
    });
  });
}
