import { createHash } from 'node:crypto';
import type { Bundle, BundleEntry, Observation } from '../instruments/fhir.ts';
import { URL } from '../instruments/fhir.ts';

/** Everything stored about one client (store/gdpr.ts loads it; the export and the erasure receipt read it). */
export interface ClientExport {
  client: { id: string; code: string; alias: string | null; created_at: Date };
  /** Dates as ISO calendar days (text from SQL: no time-zone shifts between drivers). */
  episodes: Array<{ id: string; modality: string; status: string; started_on: string; ended_on: string | null }>;
  participants: Array<{ id: string; episode_id: string; label: string }>;
  responses: Array<{
    id: string;
    episode_id: string;
    participant_id: string;
    instrument_id: string;
    session_number: number;
    submitted_at: Date;
    questionnaire_response: Record<string, unknown>;
  }>;
  scores: Array<{
    response_id: string;
    scale_id: string;
    episode_id: string;
    participant_id: string;
    instrument_id: string;
    session_number: number;
    value: number | null;
    band: string | null;
    risk: boolean;
    measured_at: Date;
  }>;
}

// The per-client GDPR export as a FHIR R4 Bundle (type collection): one Patient identified only by
// the pseudonymous client code, an EpisodeOfCare per episode, every QuestionnaireResponse exactly as
// stored, and an Observation per stored score, derived from its response. Pure: no I/O.

export const CLIENT_CODE_SYSTEM = 'https://spiegel.example/fhir/NamingSystem/client-code';
export const MODALITY_SYSTEM = 'https://spiegel.example/fhir/CodeSystem/modality';

const EPISODE_STATUS: Record<string, string> = { active: 'active', completed: 'finished', dropped: 'cancelled' };

/** A stable UUID (version 5 layout) for a score, which has a composite key in the database. */
export function scoreUuid(responseId: string, scaleId: string): string {
  const h = createHash('sha256').update(`${responseId}/${scaleId}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function clientBundle(data: ClientExport, timestamp = new Date().toISOString()): Bundle {
  const patientUrl = `urn:uuid:${data.client.id}`;
  const entries: BundleEntry[] = [
    {
      fullUrl: patientUrl,
      resource: {
        resourceType: 'Patient',
        id: data.client.id,
        identifier: [{ system: CLIENT_CODE_SYSTEM, value: data.client.code }],
      },
    },
  ];
  for (const e of data.episodes) {
    entries.push({
      fullUrl: `urn:uuid:${e.id}`,
      resource: {
        resourceType: 'EpisodeOfCare',
        id: e.id,
        status: EPISODE_STATUS[e.status] ?? 'active',
        type: [{ coding: [{ system: MODALITY_SYSTEM, code: e.modality }], text: e.modality }],
        patient: { reference: patientUrl },
        period: { start: e.started_on, ...(e.ended_on ? { end: e.ended_on } : {}) },
      },
    });
  }
  for (const r of data.responses) entries.push({ fullUrl: `urn:uuid:${r.id}`, resource: r.questionnaire_response });
  for (const s of data.scores) {
    const participant = data.participants.find((p) => p.id === s.participant_id);
    const obs: Observation = {
      resourceType: 'Observation',
      id: scoreUuid(s.response_id, s.scale_id),
      status: 'final',
      category: [{ coding: [{ system: URL.observationCategory, code: 'survey', display: 'Survey' }] }],
      code: {
        coding: [{ system: URL.spiegelScaleCodes, code: `${s.instrument_id}/${s.scale_id}` }],
        text: `${s.instrument_id} ${s.scale_id}`,
      },
      subject: { reference: patientUrl },
      effectiveDateTime: new Date(s.measured_at).toISOString(),
      ...(s.value !== null
        ? { valueQuantity: { value: s.value, unit: '{score}', system: URL.ucum, code: '{score}' } }
        : {
            dataAbsentReason: {
              coding: [{ system: URL.dataAbsentReason, code: 'unknown' }],
              text: 'No score (missing-item rule)',
            },
          }),
      ...(s.band ? { interpretation: [{ coding: [{ system: URL.spiegelBandCodes, code: s.band }] }] } : {}),
      derivedFrom: [{ reference: `urn:uuid:${s.response_id}` }],
      focus: [{ reference: `urn:uuid:${s.episode_id}` }],
      component: [
        { code: { text: 'session' }, valueQuantity: { value: s.session_number } },
        { code: { text: 'risk' }, valueBoolean: s.risk },
        ...(participant ? [{ code: { text: 'participant' }, valueString: participant.label }] : []),
      ],
    };
    entries.push({ fullUrl: `urn:uuid:${obs.id}`, resource: obs });
  }
  return { resourceType: 'Bundle', type: 'collection', timestamp, entry: entries };
}
