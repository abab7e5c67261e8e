import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ImportReport } from '../domain/instruments/org-import.ts';
import { appendAudit, type AuditEntry } from './audit.ts';
import type { Database } from './schema.ts';

/** Who imports: an admin in the browser (with the request's ip), or the command line (no user). */
export interface ImportActor {
  orgId: string;
  userId: string | null;
  role: string | null;
  ip: string | null;
}

export interface StoredVersion {
  instrumentId: string;
  version: number;
  /** False when the same content was already stored: importing twice changes nothing. */
  created: boolean;
}

/** The stable hash of a questionnaire's content, so a second import of the same file is recognised. */
export function contentHash(questionnaire: unknown): string {
  return createHash('sha256').update(JSON.stringify(questionnaire)).digest('hex');
}

/**
 * Stores a checked import as the next version of the instrument, enables it for the organisation and
 * audits the import and (when given) the licence acknowledgement, all in one transaction. The caller
 * has refused every bad import before (`importRefusal`); versions are never changed afterwards.
 */
export async function storeInstrumentVersion(
  db: Kysely<Database>,
  actor: ImportActor,
  report: ImportReport & { instrumentId: string; kind: 'questionnaire' | 'translation' },
  acknowledged: boolean,
): Promise<StoredVersion> {
  const hash = contentHash(report.questionnaire);
  return db.transaction().execute(async (trx) => {
    const same = await trx
      .selectFrom('org_instrument_versions')
      .select('version')
      .where('org_id', '=', actor.orgId)
      .where('instrument_id', '=', report.instrumentId)
      .where('content_hash', '=', hash)
      .executeTakeFirst();
    if (same) return { instrumentId: report.instrumentId, version: same.version, created: false };
    const last = await trx
      .selectFrom('org_instrument_versions')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('org_id', '=', actor.orgId)
      .where('instrument_id', '=', report.instrumentId)
      .executeTakeFirst();
    const version = Number(last?.version ?? 0) + 1;
    const ack = acknowledged && report.licence.acknowledgementRequired;
    const now = new Date();
    await trx
      .insertInto('org_instrument_versions')
      .values({
        org_id: actor.orgId,
        instrument_id: report.instrumentId,
        version,
        kind: report.kind,
        questionnaire: JSON.stringify(report.questionnaire),
        content_hash: hash,
        translations: JSON.stringify(report.translations),
        licence_acknowledged_by: ack ? actor.userId : null,
        licence_acknowledged_at: ack ? now : null,
        imported_by: actor.userId,
      })
      .execute();
    const ackColumns = ack ? { licence_acknowledged_by: actor.userId, licence_acknowledged_at: now } : {};
    await trx
      .insertInto('org_instruments')
      .values({ org_id: actor.orgId, instrument_id: report.instrumentId, enabled: true, ...ackColumns })
      .onConflict((oc) => oc.columns(['org_id', 'instrument_id']).doUpdateSet({ enabled: true, ...ackColumns }))
      .execute();
    const base: Omit<AuditEntry, 'action' | 'details'> = {
      orgId: actor.orgId,
      actorId: actor.userId,
      actorRole: actor.role,
      ip: actor.ip,
      subjectType: 'instrument',
      subjectId: `${report.instrumentId}@${version}`,
      outcome: 'ok',
    };
    await appendAudit(trx, {
      ...base,
      action: report.kind === 'translation' ? 'instrument.import-translation' : 'instrument.import',
      details: { version, hash, translations: report.translations },
    });
    if (ack) {
      await appendAudit(trx, {
        ...base,
        action: 'instrument.licence-acknowledge',
        details: { licence: report.licence.text, restrictions: report.licence.restrictions },
      });
    }
    return { instrumentId: report.instrumentId, version, created: true };
  });
}

/** Every stored version of the organisation (ids and numbers only; the texts are loaded on demand). */
export async function instrumentVersionKeys(db: Kysely<Database>, orgId: string) {
  return db
    .selectFrom('org_instrument_versions')
    .select(['instrument_id', 'version'])
    .where('org_id', '=', orgId)
    .execute();
}

export async function instrumentVersionTexts(
  db: Kysely<Database>,
  orgId: string,
  keys: Array<{ instrumentId: string; version: number }>,
) {
  if (keys.length === 0) return [];
  return db
    .selectFrom('org_instrument_versions')
    .select(['instrument_id', 'version', 'questionnaire'])
    .where('org_id', '=', orgId)
    .where((eb) =>
      eb.or(keys.map((k) => eb.and([eb('instrument_id', '=', k.instrumentId), eb('version', '=', k.version)]))),
    )
    .execute();
}
