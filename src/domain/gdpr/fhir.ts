import { createHash } from 'node:crypto';
import type { Bundle, BundleEntry, Questionnaire } from '../instruments/fhir.ts';
import { canonicalOf, extractObservations } from '../instruments/observations.ts';
import type { ScoringSpec } from '../instruments/scoring-spec.ts';

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
    /** The organisation's stored version the response answered; null for the shipped text. */
    instrument_version: number | null;
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

// The per-client GDPR export as a FHIR R4 Bundle (type collection), and the only FHIR export Spiegel
// has: one Patient identified only by the pseudonymous client code, an EpisodeOfCare per episode, every
// QuestionnaireResponse as stored (with its subject and its canonical `url|version` questionnaire), and
// the Observations extracted from each response (instruments/observations.ts): its coded scored items
// and its stored scores, LOINC-coded where the instrument carries the code. Pure: no I/O.

export const CLIENT_CODE_SYSTEM = 'https://spiegel.example/fhir/NamingSystem/client-code';
export const MODALITY_SYSTEM = 'https://spiegel.example/fhir/CodeSystem/modality';

const EPISODE_STATUS: Record<string, string> = { active: 'active', completed: 'finished', dropped: 'cancelled' };

/** The exact instrument text a response answered (null when the instrument is no longer known). */
export type DefinitionLookup = (
  instrumentId: string,
  version: number | null,
) => { questionnaire: Questionnaire; spec: ScoringSpec | null } | null;

/** A stable UUID (version 5 layout) for a derived resource, which has a composite key in the database. */
export function scoreUuid(responseId: string, key: string): string {
  const h = createHash('sha256').update(`${responseId}/${key}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function clientBundle(
  data: ClientExport,
  definitionOf: DefinitionLookup = () => null,
  timestamp = new Date().toISOString(),
): Bundle {
  const patientUrl = `urn:uuid:${data.client.id}`;
  const subject = { reference: patientUrl };
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
  const derived: BundleEntry[] = [];
  for (const r of data.responses) {
    const definition = definitionOf(r.instrument_id, r.instrument_version);
    const canonical = definition ? canonicalOf(definition.questionnaire) : undefined;
    const stored = r.questionnaire_response as { authored?: string };
    entries.push({
      fullUrl: `urn:uuid:${r.id}`,
      resource: {
        ...r.questionnaire_response,
        id: r.id,
        ...(canonical ? { questionnaire: canonical } : {}),
        subject,
      },
    });
    const scores = data.scores.filter((s) => s.response_id === r.id);
    const participant = data.participants.find((p) => p.id === r.participant_id);
    const observations = extractObservations(
      definition?.questionnaire ?? null,
      definition?.spec ?? null,
      r.questionnaire_response,
      scores.map((s) => ({ scaleId: s.scale_id, value: s.value, band: s.band })),
      {
        instrumentId: r.instrument_id,
        responseUrl: `urn:uuid:${r.id}`,
        subject,
        effectiveDateTime: stored.authored ?? new Date(r.submitted_at).toISOString(),
        idFor: (key) => scoreUuid(r.id, key.startsWith('scale/') ? key.slice('scale/'.length) : key),
      },
    );
    for (const obs of observations) {
      const score = scores.find((s) => obs.id === scoreUuid(r.id, s.scale_id));
      obs.focus = [{ reference: `urn:uuid:${r.episode_id}` }];
      // Scores keep the time, session, risk and participant they were stored with.
      if (score) {
        obs.effectiveDateTime = new Date(score.measured_at).toISOString();
        obs.component = [
          { code: { text: 'session' }, valueQuantity: { value: score.session_number } },
          { code: { text: 'risk' }, valueBoolean: score.risk },
          ...(participant ? [{ code: { text: 'participant' }, valueString: participant.label }] : []),
        ];
      }
      derived.push({ fullUrl: `urn:uuid:${obs.id}`, resource: obs });
    }
  }
  entries.push(...derived);
  return { resourceType: 'Bundle', type: 'collection', timestamp, entry: entries };
}
