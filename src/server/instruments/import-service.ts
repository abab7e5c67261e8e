import type { Kysely } from 'kysely';
import { checkOrgImport, importRefusal, type ImportReport } from '../../domain/instruments/org-import.ts';
import type { InstrumentRegistry } from '../../domain/instruments/registry.ts';
import { storeInstrumentVersion, type ImportActor, type StoredVersion } from '../../store/org-instrument-versions.ts';
import type { Database } from '../../store/schema.ts';
import { baseQuestionnaireCheck } from '../fhir-schema.ts';

/** Checks an uploaded file against Spiegel's rules, base FHIR R4 and the shipped instruments. Stores nothing. */
export function checkInstrumentUpload(text: string, shipped: InstrumentRegistry): ImportReport {
  return checkOrgImport(
    text,
    shipped.all().map((s) => s.questionnaire),
    baseQuestionnaireCheck,
  );
}

/**
 * The one import path for the admin page and `spiegel instruments import`: check again (never trust an
 * earlier check), refuse with the registry code of the first problem, else store a new version.
 */
export async function importInstrument(
  db: Kysely<Database>,
  shipped: InstrumentRegistry,
  actor: ImportActor,
  text: string,
  acknowledged: boolean,
): Promise<{ report: ImportReport; stored: StoredVersion }> {
  const report = checkInstrumentUpload(text, shipped);
  const refusal = importRefusal(report, acknowledged);
  if (refusal) throw refusal;
  const stored = await storeInstrumentVersion(
    db,
    actor,
    report as ImportReport & { instrumentId: string; kind: 'questionnaire' | 'translation' },
    acknowledged,
  );
  return { report, stored };
}
