import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { AuditFields } from '../../domain/audit/chain.ts';

// Reads of the audit trail for the admin viewer and the CSV export: always scoped to the admin's
// organisation, filtered by actor, action prefix, subject, date range (Europe/Amsterdam days) and outcome.

export const OUTCOMES = ['ok', 'allowed', 'denied', 'failed'] as const;
export const AUDIT_TIME_ZONE = 'Europe/Amsterdam';

export interface AuditFilter {
  actor?: string;
  action?: string;
  subject?: string;
  from?: string;
  to?: string;
  outcome?: (typeof OUTCOMES)[number];
  /** Keyset pagination: only rows with seq below this. */
  before?: string;
}

/** PostgreSQL text cannot hold NUL; other control characters have no place in a filter either. */
const NO_CONTROL = '^[^\\u0000-\\u001f]*$';

/** JSON schema of the filter query string (shared by the page and the CSV export). */
export const FILTER_SCHEMA = {
  type: 'object',
  properties: {
    actor: { type: 'string', maxLength: 320, pattern: NO_CONTROL },
    action: { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9._-]*$' },
    subject: { type: 'string', maxLength: 200, pattern: NO_CONTROL },
    from: {
      anyOf: [
        { type: 'string', format: 'date' },
        { type: 'string', maxLength: 0 },
      ],
    },
    to: {
      anyOf: [
        { type: 'string', format: 'date' },
        { type: 'string', maxLength: 0 },
      ],
    },
    outcome: { type: 'string', enum: ['', ...OUTCOMES] },
    before: { type: 'string', pattern: '^[0-9]{1,15}$' },
    lang: { type: 'string' },
  },
} as const;

/** One row of the audit search: the hashed fields (less the organisation) with the actor's e-mail and the hash. */
export interface AuditRow extends Omit<AuditFields, 'org_id' | 'at'> {
  at: Date;
  actor_email: string | null;
  /** Null while the row waits to be sealed into the chain (usually under a second). */
  hash: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function searchAudit(
  db: Kysely<Database>,
  orgId: string,
  filter: AuditFilter,
  limit: number,
): Promise<AuditRow[]> {
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'a.actor_id').on('u.org_id', '=', orgId))
    .select([
      'a.seq',
      'a.at',
      'a.actor_id',
      'u.email as actor_email',
      'a.actor_role',
      'a.action',
      'a.subject_type',
      'a.subject_id',
      'a.ip',
      'a.outcome',
      'a.details',
      'a.hash',
    ])
    .where('a.org_id', '=', orgId);
  const actor = filter.actor?.trim();
  if (actor) {
    query = UUID.test(actor)
      ? query.where('a.actor_id', '=', actor)
      : query.where((eb) => eb(eb.fn('lower', ['u.email']), '=', actor.toLowerCase()));
  }
  if (filter.action) query = query.where(sql<boolean>`starts_with(a.action, ${filter.action})`);
  const subject = filter.subject?.trim();
  if (subject)
    query = query.where((eb) => eb.or([eb('a.subject_id', '=', subject), eb('a.subject_type', '=', subject)]));
  if (filter.from)
    query = query.where(sql<boolean>`a.at >= (${filter.from}::date::timestamp AT TIME ZONE ${AUDIT_TIME_ZONE})`);
  if (filter.to)
    query = query.where(sql<boolean>`a.at < ((${filter.to}::date + 1)::timestamp AT TIME ZONE ${AUDIT_TIME_ZONE})`);
  if (filter.outcome) query = query.where('a.outcome', '=', filter.outcome);
  if (filter.before) query = query.where('a.seq', '<', Number(filter.before));
  const rows = await query.orderBy('a.seq', 'desc').limit(limit).execute();
  return rows as AuditRow[];
}

/** The active filters without empty fields (for the audit row that records the search itself). */
const FILTER_KEYS = ['actor', 'action', 'subject', 'from', 'to', 'outcome', 'before'] as const;

export function activeFilters(filter: AuditFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: quoted, quotes doubled, and a leading formula character neutralised (CSV injection). */
export function csvField(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export const CSV_COLUMNS = [
  'seq',
  'at',
  'actor_id',
  'actor_email',
  'actor_role',
  'action',
  'subject_type',
  'subject_id',
  'ip',
  'outcome',
  'details',
  'hash',
] as const;

export function toCsv(rows: AuditRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
