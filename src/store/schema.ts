import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Role } from '../domain/roles.ts';
import type { AuditFields } from '../domain/audit/chain.ts';
import type { Schedule } from '../domain/feedback/schedule.ts';

// Kysely table types mirroring src/store/migrations. Keep the two in step: the catalog test compares
// the migrated schema on both databases, and the type check catches queries against missing columns.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DateColumn = ColumnType<Date, Date | string, Date | string>;
type Json<T extends object | null = Record<string, unknown>> = JSONColumnType<T, string, string>;

export type { Role, Schedule };

export interface OrganisationsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  is_demo: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface UsersTable {
  id: Generated<string>;
  org_id: string;
  email: string;
  display_name: string;
  roles: Role[];
  gender: 'female' | 'male' | 'other' | null;
  password_hash: string | null;
  /** Since 021: an AES-256-GCM ciphertext (src/store/totp-secrets.ts); plain text while totp_key_id is NULL. */
  totp_secret: string | null;
  /** 063_totp_sealed: the fingerprint of the key that sealed totp_secret. */
  totp_key_id: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: NullableTimestamp;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  /** 002_security: the last accepted TOTP time step (replay protection). */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  /** 002_security */
  password_changed_at: NullableTimestamp;
  /** 061: the language the staff member last chose; null until they have signed in. */
  lang: ColumnType<'nl' | 'en' | null, 'nl' | 'en' | null | undefined, 'nl' | 'en' | null>;
}

/** 002_security: single-use links for staff invitations and password resets; only the hash is stored. */
export interface PasswordTokensTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  token_hash: string;
  purpose: 'invite' | 'reset';
  created_by: string | null;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface StaffSessionsTable {
  id: string;
  org_id: string;
  user_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
  /** The session's journal data key, sealed under a key derived from the cookie token (migration 066). */
  journal_key: string | null;
}

export interface JournalKeysTable {
  id: string;
  org_id: string;
  user_id: string;
  status: 'current' | 'locked';
  by_password: string | null;
  by_recovery: string | null;
  created_at: Generated<Date>;
}

export interface ClientsTable {
  id: Generated<string>;
  org_id: string;
  code: string;
  therapist_id: string;
  alias: string | null;
  created_at: Generated<Date>;
}

export type Modality = 'individual' | 'couple' | 'family' | 'group';
export type EpisodeStatus = 'active' | 'completed' | 'dropped';

export interface EpisodesTable {
  id: Generated<string>;
  org_id: string;
  client_id: string;
  therapist_id: string;
  modality: Modality;
  status: Generated<EpisodeStatus>;
  started_on: DateColumn;
  ended_on: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Generated<Date>;
  /** 010: saved without a measurement plan, on purpose. */
  without_plan: Generated<boolean>;
}

export interface ParticipantsTable {
  id: Generated<string>;
  org_id: string;
  episode_id: string;
  label: string;
  created_at: Generated<Date>;
  /** 010: e.g. "mother"; free text, optional. */
  role: string | null;
  /** 010: the order in which the therapist entered the participants. */
  position: Generated<number>;
}

/** 010: a participant's contact details, seen only by the treating therapist and used only for messages. */
export interface ParticipantContactsTable {
  participant_id: string;
  org_id: string;
  episode_id: string;
  email: string | null;
  phone: string | null;
  updated_at: Generated<Date>;
  /** 032: the language of the participant's messages and form. */
  lang: Generated<'nl' | 'en'>;
}

export type SendKind = 'manual' | 'scheduled' | 'reminder';
export type SendStatus = 'queued' | 'sent' | 'skipped' | 'failed';

/** 010: a message that carries or reminds of an invitation. */
export interface InvitationSendsTable {
  id: Generated<string>;
  org_id: string;
  episode_id: string;
  participant_id: string;
  session_id: string | null;
  session_number: number;
  kind: SendKind;
  channel: 'email' | 'sms';
  reminds_send_id: string | null;
  invitation_id: string | null;
  status: Generated<SendStatus>;
  due_at: Timestamp;
  sent_at: NullableTimestamp;
  error: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface OrgInstrumentsTable {
  org_id: string;
  instrument_id: string;
  questionnaire: ColumnType<unknown | null, string | null | undefined, string | null>;
  enabled: Generated<boolean>;
  licence_acknowledged_by: string | null;
  licence_acknowledged_at: NullableTimestamp;
}

export interface OrgInstrumentVersionsTable {
  org_id: string;
  instrument_id: string;
  version: number;
  kind: 'questionnaire' | 'translation';
  questionnaire: Json;
  content_hash: string;
  translations: Json<Array<{ lang: string; status: string; source: string | null }>>;
  licence_acknowledged_by: string | null;
  licence_acknowledged_at: NullableTimestamp;
  imported_by: string | null;
  imported_at: Generated<Date>;
}

export interface MeasurementPlansTable {
  id: Generated<string>;
  org_id: string;
  episode_id: string;
  instrument_id: string;
  schedule: Schedule;
  every_n: number | null;
}

export interface TherapySessionsTable {
  id: Generated<string>;
  org_id: string;
  episode_id: string;
  number: number;
  held_on: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** 010 */
  status: Generated<'planned' | 'held' | 'cancelled'>;
  /** 010 */
  planned_at: NullableTimestamp;
}

export interface InvitationsTable {
  id: Generated<string>;
  org_id: string;
  episode_id: string;
  participant_id: string;
  session_id: string | null;
  token_hash: string;
  instrument_ids: string[];
  lang: Generated<'nl' | 'en'>;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: Generated<Date>;
  submission_key: string | null;
  session_number: number | null;
  opened_at: NullableTimestamp;
}

export interface ResponsesTable {
  id: Generated<string>;
  org_id: string;
  episode_id: string;
  participant_id: string;
  invitation_id: string | null;
  instrument_id: string;
  session_number: number;
  questionnaire_response: Json;
  submitted_at: Generated<Date>;
  instrument_version: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ScoresTable {
  response_id: string;
  scale_id: string;
  org_id: string;
  episode_id: string;
  participant_id: string;
  therapist_id: string;
  instrument_id: string;
  session_number: number;
  value: number | null;
  band: string | null;
  risk: Generated<boolean>;
  measured_at: Timestamp;
}

export interface AlertsTable {
  id: Generated<string>;
  org_id: string;
  episode_id: string;
  response_id: string | null;
  rule: string;
  event_key: string;
  severity: 'info' | 'warning' | 'urgent';
  reason: Json;
  created_at: Generated<Date>;
  acknowledged_at: NullableTimestamp;
  acknowledged_by: string | null;
  acknowledgement_note: string | null;
  /** 010: when the therapist was e-mailed about this risk alert. */
  notified_at: NullableTimestamp;
}

export interface AnalysisRunsTable {
  id: Generated<string>;
  org_id: string;
  kind: string;
  instrument_id: string | null;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  method: string | null;
  data_window: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  result: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  finished_at: NullableTimestamp;
}

export interface JobsTable {
  id: Generated<number>;
  org_id: string | null;
  kind: string;
  payload: Json;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  run_at: Timestamp;
  locked_at: NullableTimestamp;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Generated<Date>;
  lease_until: NullableTimestamp;
  lease_token: string | null;
  max_attempts: Generated<number>;
  dedupe_key: string | null;
}

/** The hashed fields come from the domain's `AuditFields`; the database adds the chain columns. */
export interface AuditLogTable extends Omit<AuditFields, 'seq' | 'at' | 'details' | 'details_hash'> {
  seq: Generated<number>;
  at: Timestamp;
  /** NULL once erased (064_audit_details_hash); the chain then still verifies through details_hash. */
  details: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  /** 064_audit_details_hash: SHA-256 of the canonical details, set by the sealer; the hash covers it. */
  details_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** Position in the hash chain; NULL (with prev_hash and hash) while the row waits to be sealed. */
  chain_pos: number | null;
  prev_hash: string | null;
  hash: string | null;
}

// Reflection (migration 003). Free text lives only in `ciphertext` (AES-256-GCM, see reflection-crypto.ts).
export interface ReflectionSettingsTable {
  user_id: string;
  org_id: string;
  interval_months: number;
  updated_at: Generated<Date>;
}

export interface SelfChecksTable {
  id: string;
  org_id: string;
  user_id: string;
  status: Generated<'draft' | 'completed'>;
  started_at: Generated<Date>;
  updated_at: Generated<Date>;
  completed_at: NullableTimestamp;
  key_id: string;
  ciphertext: string;
}

export interface JournalEntriesTable {
  id: string;
  org_id: string;
  user_id: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  key_id: string;
  ciphertext: string;
}

export interface PracticeGoalsTable {
  id: string;
  org_id: string;
  user_id: string;
  skill: string;
  created_at: Generated<Date>;
  archived_at: NullableTimestamp;
  key_id: string;
  ciphertext: string;
}

export interface PracticeLogsTable {
  id: string;
  org_id: string;
  user_id: string;
  goal_id: string;
  practised_on: DateColumn;
  minutes: number;
  created_at: Generated<Date>;
  key_id: string;
  ciphertext: string;
}

export type ReflectionItemType = 'self_check' | 'journal_entry' | 'practice_goal';

export interface ReflectionSharesTable {
  id: Generated<string>;
  org_id: string;
  owner_id: string;
  supervisor_id: string;
  item_type: ReflectionItemType;
  item_id: string;
  created_at: Generated<Date>;
  revoked_at: NullableTimestamp;
  /** The supervisor's copy of the item, sealed under the instance key (migration 066). */
  key_id: string | null;
  ciphertext: string | null;
}

export interface ReflectionCommentsTable {
  id: string;
  org_id: string;
  share_id: string;
  author_id: string;
  created_at: Generated<Date>;
  key_id: string;
  ciphertext: string;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

export interface TeamsTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  created_at: Generated<Date>;
}

export interface TeamMembersTable {
  team_id: string;
  org_id: string;
  user_id: string;
}

export interface DashboardCellsTable {
  org_id: string;
  family: 'outcome' | 'activity';
  instrument_id: string;
  quarter: string;
  modality: 'individual' | 'couple' | 'family' | 'group';
  therapist_id: string;
  episodes: number;
  metrics: Json;
}

export interface DashboardRefreshesTable {
  org_id: string;
  refreshed_at: Timestamp;
  seconds: number;
  /** 031: new on every refresh; the key of the dashboards' cache. */
  generation: Generated<string>;
}

/** 017_research_studies: a researcher's study with its survey (a FHIR Questionnaire). */
export interface ResearchStudiesTable {
  id: Generated<string>;
  org_id: string;
  owner_id: string;
  title: string;
  ethics_reference: string;
  legal_basis: 'consent' | 'public-interest' | 'legitimate-interest';
  retention_until: DateColumn;
  status: Generated<'draft' | 'open' | 'closed'>;
  survey_text: string;
  questionnaire: Json;
  survey_version: Generated<number>;
  transformations: ColumnType<unknown[], string | undefined, string>;
  transformations_version: Generated<number>;
  /** 050_research_eligibility: yes/no criteria of the screen before consent. */
  eligibility: ColumnType<unknown[], string | undefined, string>;
  created_at: Generated<Date>;
}

export interface ResearchConsentVersionsTable {
  study_id: string;
  version: number;
  information_letter: string;
  consent_text: string;
  created_at: Generated<Date>;
}

export interface ResearchLinksTable {
  token_hash: string;
  study_id: string;
  org_id: string;
  kind: 'public' | 'token';
  channel: string;
  public_token: string | null;
  used: Generated<boolean>;
}

/** No IP, no user agent, no time of day: the submit date only. */
export interface ResearchResponsesTable {
  id: Generated<string>;
  org_id: string;
  study_id: string;
  survey_version: number;
  consent_version: number;
  consent_text_sha256: string;
  channel: string;
  submitted_on: DateColumn;
  duration_ms: number | null;
  response: Json;
  withdrawal_hash: string;
}

/** 051_research_allocation: how many respondents each assignment item has allocated. */
/** 062_research_paper: paper questionnaires as typed, once or twice. */
export interface ResearchPaperEntriesTable {
  study_id: string;
  paper_id: string;
  entry: number;
  response: Json;
  entered_by: string;
  created_at: Generated<Date>;
}
export interface ResearchPaperResultsTable {
  study_id: string;
  paper_id: string;
  response_id: string;
  double_entry: boolean;
  discrepancies: number;
}
export interface ResearchAllocationsTable {
  study_id: string;
  item: string;
  next: Generated<number>;
}

export interface ResearchFunnelTable {
  study_id: string;
  channel: string;
  stage: 'opened' | 'eligible' | 'screened-out' | 'consented' | 'declined' | 'completed' | 'withdrawn';
  count: Generated<number>;
}

/** 019_qual (issue 20): qualitative interview coding. */
export interface QualProjectsTable {
  id: string;
  org_id: string;
  name: string;
  study_id: string | null;
  blinded: Generated<boolean>;
  language: Generated<'nl' | 'en'>;
  created_at: Generated<Date>;
}
export interface QualMembersTable {
  project_id: string;
  user_id: string;
  role: 'investigator' | 'coder' | 'auditor';
}
export interface QualCodesTable {
  id: string;
  project_id: string;
  label: string;
  name: string;
  parent_id: string | null;
  definition: Generated<string>;
  inclusion: Generated<string>;
  exclusion: Generated<string>;
  example: Generated<string>;
  colour: Generated<string>;
  sort_order: Generated<number>;
  equivalent_to: string | null;
}
export interface QualDocumentsTable {
  id: string;
  project_id: string;
  case_label: string;
  attributes: Json<Record<string, string>>;
  version: Generated<number>;
  text_length: number;
  key_id: string;
  ciphertext: string;
  created_at: Generated<Date>;
}
export interface QualSegmentsTable {
  id: string;
  project_id: string;
  document_id: string;
  code_id: string;
  layer: string;
  start_pos: number;
  end_pos: number;
  created_at: Generated<Date>;
}
export interface QualConsensusRejectionsTable {
  id: string;
  project_id: string;
  document_id: string;
  code_id: string;
  start_pos: number;
  end_pos: number;
  decided_by: string | null;
  created_at: Generated<Date>;
}
export interface QualMemosTable {
  id: string;
  project_id: string;
  target_kind: 'project' | 'code' | 'document' | 'segment';
  target_id: string;
  author: string;
  key_id: string;
  ciphertext: string;
  created_at: Generated<Date>;
}
export interface QualMemberChecksTable {
  id: string;
  project_id: string;
  document_id: string;
  token_hash: string;
  expires_at: Date;
  answered_at: Date | null;
  key_id: string | null;
  ciphertext: string | null;
  created_at: Generated<Date>;
}

/** 065_rate_limits: request counters shared by every instance (src/store/rate-limits.ts). */
export interface RateLimitsTable {
  key: string;
  count: number;
  reset_at: Timestamp;
}

export interface Database {
  rate_limits: RateLimitsTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  staff_sessions: StaffSessionsTable;
  journal_keys: JournalKeysTable;
  password_tokens: PasswordTokensTable;
  clients: ClientsTable;
  episodes: EpisodesTable;
  participants: ParticipantsTable;
  participant_contacts: ParticipantContactsTable;
  invitation_sends: InvitationSendsTable;
  org_instruments: OrgInstrumentsTable;
  org_instrument_versions: OrgInstrumentVersionsTable;
  measurement_plans: MeasurementPlansTable;
  therapy_sessions: TherapySessionsTable;
  invitations: InvitationsTable;
  responses: ResponsesTable;
  scores: ScoresTable;
  alerts: AlertsTable;
  analysis_runs: AnalysisRunsTable;
  jobs: JobsTable;
  audit_log: AuditLogTable;
  reflection_settings: ReflectionSettingsTable;
  self_checks: SelfChecksTable;
  journal_entries: JournalEntriesTable;
  practice_goals: PracticeGoalsTable;
  practice_logs: PracticeLogsTable;
  reflection_shares: ReflectionSharesTable;
  reflection_comments: ReflectionCommentsTable;
  schema_migrations: SchemaMigrationsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  dashboard_cells: DashboardCellsTable;
  dashboard_refreshes: DashboardRefreshesTable;
  research_studies: ResearchStudiesTable;
  research_consent_versions: ResearchConsentVersionsTable;
  research_links: ResearchLinksTable;
  research_responses: ResearchResponsesTable;
  research_funnel: ResearchFunnelTable;
  research_allocations: ResearchAllocationsTable;
  research_paper_entries: ResearchPaperEntriesTable;
  research_paper_results: ResearchPaperResultsTable;
  qual_projects: QualProjectsTable;
  qual_members: QualMembersTable;
  qual_codes: QualCodesTable;
  qual_documents: QualDocumentsTable;
  qual_segments: QualSegmentsTable;
  qual_consensus_rejections: QualConsensusRejectionsTable;
  qual_memos: QualMemosTable;
  qual_member_checks: QualMemberChecksTable;
}
