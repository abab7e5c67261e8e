import type { Kysely } from 'kysely';
import { compileScorer, type CompiledScorer } from '../domain/instruments/compile.ts';
import { registryOf, type InstrumentRegistry } from '../domain/instruments/registry.ts';
import { instrumentVersionKeys, instrumentVersionTexts } from '../store/org-instrument-versions.ts';
import type { Database } from '../store/schema.ts';

/** The instruments of one organisation, as the running server sees them after every import. */
export interface OrgInstrumentSource {
  forOrg(orgId: string): Promise<InstrumentRegistry>;
}

/**
 * Versions never change once stored, so each is compiled once and kept; a request asks only which
 * versions exist (one small query). An import by the admin page or by `spiegel instruments import`
 * into the same database is therefore used by the next request, without a restart.
 */
export function orgInstrumentSource(db: Kysely<Database>, shipped: InstrumentRegistry): OrgInstrumentSource {
  const compiled = new Map<string, CompiledScorer>();
  const key = (orgId: string, id: string, version: number) => `${orgId}/${id}/${version}`;
  const shippedById = new Map(shipped.all().map((s) => [s.instrumentId, s]));
  return {
    async forOrg(orgId) {
      const keys = await instrumentVersionKeys(db, orgId);
      if (keys.length === 0) return shipped;
      const missing = keys.filter((k) => !compiled.has(key(orgId, k.instrument_id, k.version)));
      const rows = await instrumentVersionTexts(
        db,
        orgId,
        missing.map((k) => ({ instrumentId: k.instrument_id, version: k.version })),
      );
      for (const row of rows)
        compiled.set(key(orgId, row.instrument_id, row.version), compileScorer(row.questionnaire));
      const current = new Map(
        shipped.all().map((s) => [s.instrumentId, { scorer: s, version: null as number | null }]),
      );
      const versions = new Map<string, Map<number, CompiledScorer>>();
      for (const k of keys) {
        const scorer = compiled.get(key(orgId, k.instrument_id, k.version));
        if (!scorer) continue;
        if (!versions.has(k.instrument_id)) versions.set(k.instrument_id, new Map());
        versions.get(k.instrument_id)!.set(k.version, scorer);
        const now = current.get(k.instrument_id);
        if (!now || now.version === null || now.version < k.version)
          current.set(k.instrument_id, { scorer, version: k.version });
      }
      return registryOf(current, versions, shippedById);
    },
  };
}

/** The registry of one organisation (the shipped one in contexts built without a database source). */
export function instrumentsFor(
  ctx: { instruments: InstrumentRegistry; orgInstruments?: OrgInstrumentSource },
  orgId: string,
): Promise<InstrumentRegistry> {
  return ctx.orgInstruments ? ctx.orgInstruments.forOrg(orgId) : Promise.resolve(ctx.instruments);
}
