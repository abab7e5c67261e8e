/**
 * The one error registry. Every error Spiegel reports to a client, a CLI user or a log carries one of
 * these stable codes. Codes never change meaning; add new ones instead of reusing old ones.
 * `status` is the HTTP status the server answers with; the CLI maps any error to exit code 1 or 2.
 */
export const errorRegistry = {
  // generic request handling
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; try again later.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side. The error has been logged.' },
  DATABASE_UNAVAILABLE: { status: 503, message: 'The database is not reachable.' },
  CONFLICT: {
    status: 409,
    message: 'This was changed or created at the same time by another request; reload and try again.',
  },
  CLIENT_CODE_IN_USE: { status: 409, message: 'A client with this code already exists.' },
  SESSION_NUMBER_IN_USE: { status: 409, message: 'A session with this number already exists in this episode.' },
  DRAFT_EXISTS: { status: 409, message: 'You already have a draft; continue that one.' },
  SHARE_EXISTS: { status: 409, message: 'This item is already shared with this supervisor.' },
  CONFIG_MISSING: { status: 500, message: 'Required settings are missing.' },
  DEMO_REFUSED: { status: 409, message: 'The demo is loaded only into an empty database.' },

  // authentication and access
  UNAUTHENTICATED: { status: 401, message: 'Log in first.' },
  LOGIN_FAILED: {
    status: 401,
    message:
      'Email address, password or authenticator code is incorrect. After five failed attempts an account is locked for 15 minutes.',
  },
  JOURNAL_KEY_MISSING: {
    status: 401,
    message: 'Log in again to open your reflections: they are encrypted with a key that only your login unlocks.',
  },
  JOURNAL_LOCKED: {
    status: 423,
    message:
      'This item is encrypted with your earlier journal key. Open it on the journal page with your previous password or your recovery code.',
  },
  ACCOUNT_LOCKED: { status: 423, message: 'Too many failed attempts; the account is locked for a while.' },
  FORBIDDEN: { status: 403, message: 'You do not have access to this.' },
  CSRF_INVALID: { status: 403, message: 'The form has expired; reload the page and try again.' },
  TOTP_ENROLMENT_REQUIRED: { status: 403, message: 'Set up two-step verification before continuing.' },
  EMAIL_IN_USE: { status: 409, message: 'This email address already has an account.' },
  CONFIRMATION_MISMATCH: { status: 422, message: 'The confirmation does not match.' },
  SELF_LOCKOUT: {
    status: 409,
    message: 'You cannot remove your own administrator role or deactivate your own account.',
  },

  // configuration and operations (CLI)
  CONFIG_INVALID: { status: 500, message: 'The configuration is not valid.' },
  DATA_DIR_LOCKED: { status: 500, message: 'The data directory is in use by another Spiegel process.' },
  PORT_IN_USE: { status: 500, message: 'The port is already in use.' },
  USAGE: { status: 400, message: 'Wrong command-line usage.' },
  FILE_UNREADABLE: { status: 400, message: 'The file cannot be read.' },
  BACKUP_FAILED: { status: 500, message: 'The backup or restore failed.' },

  // statistics
  STATS_INPUT_INVALID: { status: 400, message: 'The statistical input is not valid.' },
  STATS_DEGENERATE: { status: 422, message: 'The data do not allow this statistic.' },
  MODEL_FORMULA_INVALID: { status: 400, message: 'The model formula is not supported.' },
  MODEL_DATA_INVALID: { status: 400, message: 'The model data are not valid.' },
  INSUFFICIENT_DATA: { status: 422, message: 'There are not enough data for this analysis.' },

  // instruments
  QUESTIONNAIRE_INVALID: { status: 422, message: 'The questionnaire is not valid.' },
  RESPONSE_INVALID: { status: 422, message: 'The questionnaire response is not valid.' },
  INSTRUMENT_UNKNOWN: { status: 404, message: 'Unknown instrument.' },
  LICENCE_NOT_ACKNOWLEDGED: { status: 409, message: 'The licence of this instrument must be acknowledged first.' },
  // importing an organisation's instrument: each refusal has its own code, and nothing is stored
  INSTRUMENT_JSON_INVALID: { status: 400, message: 'The file is not valid JSON.' },
  INSTRUMENT_RESOURCE_TYPE: { status: 422, message: 'The file is not a FHIR Questionnaire.' },
  INSTRUMENT_LINKID_DUPLICATE: { status: 422, message: 'Two items of the questionnaire share a linkId.' },
  INSTRUMENT_ENABLE_WHEN_CYCLE: {
    status: 422,
    message: 'The enableWhen conditions of the questionnaire form a cycle.',
  },
  INSTRUMENT_TOO_DEEP: { status: 422, message: 'The questionnaire is nested too deeply.' },
  INSTRUMENT_FHIR_INVALID: { status: 422, message: 'The questionnaire is not valid FHIR R4.' },
  TRANSLATION_MISMATCH: { status: 422, message: 'The translation does not match the instrument item for item.' },

  // organisation structure and dashboards
  TEAM_NAME_TAKEN: { status: 409, message: 'A team with this name already exists.' },

  // daily clinical work (episodes, sessions, invitations)
  EPISODE_CLOSED: { status: 409, message: 'The episode is closed; reopen it first.' },
  NO_CONTACT: { status: 409, message: 'This participant has no contact details for this channel.' },

  // research surveys
  SURVEY_INVALID: { status: 422, message: 'The survey definition is not valid.' },
  STUDY_INVALID: { status: 422, message: 'The study details are not valid.' },
  STUDY_NOT_OPEN: { status: 409, message: 'This study is not open for responses.' },
  CONSENT_REQUIRED: { status: 422, message: 'Consent is needed before the survey starts.' },
  PAPER_ENTRY_EXISTS: { status: 409, message: 'This entry of this paper questionnaire has already been typed in.' },
  PAPER_DONE: { status: 409, message: 'This paper questionnaire has already been stored as a response.' },
  WITHDRAWAL_CODE_UNKNOWN: { status: 404, message: 'No answers were found for this withdrawal code.' },

  // qualitative coding (issue 20)
  QUAL_IMPORT_INVALID: { status: 422, message: 'The file cannot be imported.' },
  QUAL_CASE_IN_USE: { status: 409, message: 'This case already has a coded transcript; its text cannot change.' },
  QUAL_SEGMENT_INVALID: { status: 422, message: 'The selection does not lie within the transcript.' },
  QUAL_CODE_LABEL_TAKEN: { status: 409, message: 'Another code in this codebook already has this label.' },
  QUAL_CODE_MERGE_SELF: {
    status: 422,
    message: 'A code cannot be merged into itself or into one of its own subcodes.',
  },
  QUAL_BLINDED: { status: 409, message: 'The coders still work blind; unblind the project first.' },
  MEMBER_CHECK_EXPIRED: { status: 410, message: 'This link has expired or was already used.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorRegistry;

/** A problem we expected and can explain. Anything else is reported as INTERNAL. */
export class SpiegelError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? errorRegistry[code].message);
    this.name = 'SpiegelError';
    this.code = code;
    this.details = details ?? null;
  }

  get status(): number {
    return errorRegistry[this.code].status;
  }

  toJSON(): { error: { code: ErrorCode; message: string; details: unknown } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export function isSpiegelError(value: unknown): value is SpiegelError {
  return value instanceof SpiegelError;
}
