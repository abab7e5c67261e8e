import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Role } from '../domain/roles.ts';
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
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: NullableTimestamp;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  /** 002_security: the last accepted TOTP time step (replay protection). */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  /** 002_security */
  password_changed_at: NullableTimestamp;
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
}

export interface ParticipantsTable {
  id: Generated<string>;
  org_id: string;
  episode_id: string;
  label: string;
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
  held_on: DateColumn;
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
}

export interface AuditLogTable {
  seq: Generated<number>;
  org_id: string | null;
  at: Timestamp;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  ip: string | null;
  outcome: string;
  details: Json;
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

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  staff_sessions: StaffSessionsTable;
  password_tokens: PasswordTokensTable;
  clients: ClientsTable;
  episodes: EpisodesTable;
  participants: ParticipantsTable;
  org_instruments: OrgInstrumentsTable;
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
}
