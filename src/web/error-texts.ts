import type { ErrorCode } from '../domain/errors.ts';
import { html, type SafeHtml } from './html.ts';
import { errorRegistry, type SpiegelError } from '../domain/errors.ts';
import type { Lang } from './i18n.ts';

/**
 * What a person reads for each registry error. The code stays the stable English identifier; the
 * message is in the reader's language. A test checks that every registry code has both.
 */
export const ERROR_TEXTS: Record<ErrorCode, { nl: string; en: string }> = {
  VALIDATION_FAILED: { nl: 'De invoer is niet geldig.', en: errorRegistry.VALIDATION_FAILED.message },
  NOT_FOUND: { nl: 'Niet gevonden.', en: errorRegistry.NOT_FOUND.message },
  PAYLOAD_TOO_LARGE: { nl: 'Wat je verstuurt is te groot.', en: errorRegistry.PAYLOAD_TOO_LARGE.message },
  UNSUPPORTED_MEDIA_TYPE: {
    nl: 'Dit soort inhoud wordt niet ondersteund.',
    en: errorRegistry.UNSUPPORTED_MEDIA_TYPE.message,
  },
  RATE_LIMITED: { nl: 'Te veel verzoeken; probeer het straks opnieuw.', en: errorRegistry.RATE_LIMITED.message },
  INTERNAL: { nl: 'Er ging bij ons iets mis. De fout is vastgelegd.', en: errorRegistry.INTERNAL.message },
  DATABASE_UNAVAILABLE: { nl: 'De database is niet bereikbaar.', en: errorRegistry.DATABASE_UNAVAILABLE.message },
  UNAUTHENTICATED: { nl: 'Log eerst in.', en: errorRegistry.UNAUTHENTICATED.message },
  LOGIN_FAILED: {
    nl: 'E-mailadres, wachtwoord of code uit je authenticator-app klopt niet. Na vijf mislukte pogingen is een account 15 minuten geblokkeerd.',
    en: errorRegistry.LOGIN_FAILED.message,
  },
  JOURNAL_KEY_MISSING: {
    nl: 'Log opnieuw in om je reflecties te openen: ze zijn versleuteld met een sleutel die alleen jouw inlog ontgrendelt.',
    en: errorRegistry.JOURNAL_KEY_MISSING.message,
  },
  JOURNAL_LOCKED: {
    nl: 'Dit item is versleuteld met je eerdere dagboeksleutel. Open het op de dagboekpagina met je vorige wachtwoord of je herstelcode.',
    en: errorRegistry.JOURNAL_LOCKED.message,
  },
  ACCOUNT_LOCKED: {
    nl: 'Te veel mislukte pogingen; het account is even geblokkeerd.',
    en: errorRegistry.ACCOUNT_LOCKED.message,
  },
  FORBIDDEN: { nl: 'Je hebt hier geen toegang toe.', en: errorRegistry.FORBIDDEN.message },
  CSRF_INVALID: {
    nl: 'Het formulier is verlopen; laad de pagina opnieuw en probeer het nog eens.',
    en: errorRegistry.CSRF_INVALID.message,
  },
  TOTP_ENROLMENT_REQUIRED: {
    nl: 'Stel eerst tweestapsverificatie in.',
    en: errorRegistry.TOTP_ENROLMENT_REQUIRED.message,
  },
  EMAIL_IN_USE: { nl: 'Er bestaat al een account met dit e-mailadres.', en: errorRegistry.EMAIL_IN_USE.message },
  CONFIRMATION_MISMATCH: { nl: 'De bevestiging komt niet overeen.', en: errorRegistry.CONFIRMATION_MISMATCH.message },
  SELF_LOCKOUT: {
    nl: 'Je kunt je eigen beheerdersrol niet verwijderen en je eigen account niet uitschakelen.',
    en: errorRegistry.SELF_LOCKOUT.message,
  },
  CONFIG_INVALID: { nl: 'De configuratie is niet geldig.', en: errorRegistry.CONFIG_INVALID.message },
  DATA_DIR_LOCKED: {
    nl: 'De gegevensmap is in gebruik door een ander Spiegel-proces.',
    en: errorRegistry.DATA_DIR_LOCKED.message,
  },
  PORT_IN_USE: { nl: 'De poort is al in gebruik.', en: errorRegistry.PORT_IN_USE.message },
  USAGE: { nl: 'Het commando is verkeerd gebruikt.', en: errorRegistry.USAGE.message },
  FILE_UNREADABLE: { nl: 'Het bestand kan niet worden gelezen.', en: errorRegistry.FILE_UNREADABLE.message },
  BACKUP_FAILED: { nl: 'De back-up of het herstel is mislukt.', en: errorRegistry.BACKUP_FAILED.message },
  STATS_INPUT_INVALID: { nl: 'De statistische invoer is niet geldig.', en: errorRegistry.STATS_INPUT_INVALID.message },
  STATS_DEGENERATE: {
    nl: 'Met deze gegevens kan deze statistiek niet worden berekend.',
    en: errorRegistry.STATS_DEGENERATE.message,
  },
  MODEL_FORMULA_INVALID: {
    nl: 'Deze modelformule wordt niet ondersteund.',
    en: errorRegistry.MODEL_FORMULA_INVALID.message,
  },
  MODEL_DATA_INVALID: {
    nl: 'De gegevens voor het model zijn niet geldig.',
    en: errorRegistry.MODEL_DATA_INVALID.message,
  },
  INSUFFICIENT_DATA: {
    nl: 'Er zijn te weinig gegevens voor deze analyse.',
    en: errorRegistry.INSUFFICIENT_DATA.message,
  },
  QUESTIONNAIRE_INVALID: { nl: 'De vragenlijst is niet geldig.', en: errorRegistry.QUESTIONNAIRE_INVALID.message },
  RESPONSE_INVALID: {
    nl: 'De antwoorden op de vragenlijst zijn niet geldig.',
    en: errorRegistry.RESPONSE_INVALID.message,
  },
  INSTRUMENT_UNKNOWN: { nl: 'Onbekend instrument.', en: errorRegistry.INSTRUMENT_UNKNOWN.message },
  LICENCE_NOT_ACKNOWLEDGED: {
    nl: 'Bevestig eerst de licentie van dit instrument.',
    en: errorRegistry.LICENCE_NOT_ACKNOWLEDGED.message,
  },
  INSTRUMENT_JSON_INVALID: {
    nl: 'Het bestand is geen geldige JSON.',
    en: errorRegistry.INSTRUMENT_JSON_INVALID.message,
  },
  INSTRUMENT_RESOURCE_TYPE: {
    nl: 'Het bestand is geen FHIR Questionnaire.',
    en: errorRegistry.INSTRUMENT_RESOURCE_TYPE.message,
  },
  INSTRUMENT_LINKID_DUPLICATE: {
    nl: 'Twee vragen in de vragenlijst hebben dezelfde linkId.',
    en: errorRegistry.INSTRUMENT_LINKID_DUPLICATE.message,
  },
  INSTRUMENT_ENABLE_WHEN_CYCLE: {
    nl: 'De enableWhen-voorwaarden van de vragenlijst verwijzen in een kring naar elkaar.',
    en: errorRegistry.INSTRUMENT_ENABLE_WHEN_CYCLE.message,
  },
  INSTRUMENT_TOO_DEEP: { nl: 'De vragenlijst is te diep genest.', en: errorRegistry.INSTRUMENT_TOO_DEEP.message },
  INSTRUMENT_FHIR_INVALID: {
    nl: 'De vragenlijst is geen geldige FHIR R4.',
    en: errorRegistry.INSTRUMENT_FHIR_INVALID.message,
  },
  TRANSLATION_MISMATCH: {
    nl: 'De vertaling komt niet vraag voor vraag overeen met het instrument.',
    en: errorRegistry.TRANSLATION_MISMATCH.message,
  },
  CONFLICT: {
    nl: 'Dit is tegelijk door een ander verzoek gewijzigd of aangemaakt; laad de pagina opnieuw en probeer het nog eens.',
    en: errorRegistry.CONFLICT.message,
  },
  CLIENT_CODE_IN_USE: { nl: 'Er bestaat al een cliënt met deze code.', en: errorRegistry.CLIENT_CODE_IN_USE.message },
  SESSION_NUMBER_IN_USE: {
    nl: 'Deze behandeling heeft al een sessie met dit nummer.',
    en: errorRegistry.SESSION_NUMBER_IN_USE.message,
  },
  DRAFT_EXISTS: { nl: 'Je hebt al een concept; ga daarmee verder.', en: errorRegistry.DRAFT_EXISTS.message },
  SHARE_EXISTS: { nl: 'Dit is al gedeeld met deze supervisor.', en: errorRegistry.SHARE_EXISTS.message },
  CONFIG_MISSING: { nl: 'Er ontbreken verplichte instellingen.', en: errorRegistry.CONFIG_MISSING.message },
  DEMO_REFUSED: { nl: 'De demo wordt alleen in een lege database geladen.', en: errorRegistry.DEMO_REFUSED.message },
  TEAM_NAME_TAKEN: { nl: 'Er bestaat al een team met deze naam.', en: errorRegistry.TEAM_NAME_TAKEN.message },
  EPISODE_CLOSED: { nl: 'De behandeling is afgesloten; heropen haar eerst.', en: errorRegistry.EPISODE_CLOSED.message },
  NO_CONTACT: {
    nl: 'Deze deelnemer heeft geen contactgegevens voor dit kanaal.',
    en: errorRegistry.NO_CONTACT.message,
  },
  SURVEY_INVALID: { nl: 'De vragenlijst van dit onderzoek is niet geldig.', en: errorRegistry.SURVEY_INVALID.message },
  STUDY_INVALID: { nl: 'De gegevens van het onderzoek zijn niet geldig.', en: errorRegistry.STUDY_INVALID.message },
  STUDY_NOT_OPEN: { nl: 'Dit onderzoek staat niet open voor antwoorden.', en: errorRegistry.STUDY_NOT_OPEN.message },
  CONSENT_REQUIRED: { nl: 'Zonder toestemming kun je niet deelnemen.', en: errorRegistry.CONSENT_REQUIRED.message },
  WITHDRAWAL_CODE_UNKNOWN: {
    nl: 'Deze intrekkingscode is onbekend.',
    en: errorRegistry.WITHDRAWAL_CODE_UNKNOWN.message,
  },
  QUAL_IMPORT_INVALID: { nl: 'Dit bestand kan niet worden ingelezen.', en: errorRegistry.QUAL_IMPORT_INVALID.message },
  PAPER_ENTRY_EXISTS: {
    nl: 'Deze invoer van deze papieren vragenlijst is al gedaan.',
    en: errorRegistry.PAPER_ENTRY_EXISTS.message,
  },
  PAPER_DONE: {
    nl: 'Deze papieren vragenlijst is al als antwoord opgeslagen.',
    en: errorRegistry.PAPER_DONE.message,
  },
  QUAL_CASE_IN_USE: {
    nl: 'Dit interview is al gecodeerd; de tekst kan niet meer veranderen.',
    en: errorRegistry.QUAL_CASE_IN_USE.message,
  },
  QUAL_SEGMENT_INVALID: {
    nl: 'De selectie ligt niet binnen het transcript.',
    en: errorRegistry.QUAL_SEGMENT_INVALID.message,
  },
  QUAL_CODE_LABEL_TAKEN: {
    nl: 'Een andere code in dit codeboek heeft dit label al.',
    en: errorRegistry.QUAL_CODE_LABEL_TAKEN.message,
  },
  QUAL_CODE_MERGE_SELF: {
    nl: 'Een code kan niet worden samengevoegd met zichzelf of met een eigen subcode.',
    en: errorRegistry.QUAL_CODE_MERGE_SELF.message,
  },
  QUAL_BLINDED: {
    nl: 'De codeurs werken nog blind; hef eerst de blindering op.',
    en: errorRegistry.QUAL_BLINDED.message,
  },
  MEMBER_CHECK_EXPIRED: {
    nl: 'Deze link is verlopen of al gebruikt.',
    en: errorRegistry.MEMBER_CHECK_EXPIRED.message,
  },
};

/** The message for a registry code in the reader's language. */
export function errorText(lang: Lang, code: ErrorCode): string {
  return ERROR_TEXTS[code][lang];
}

/**
 * An error shown inside a page (a refused analysis, a bad upload). The reader gets the registry text in
 * their language; the specific English detail follows, marked as English, because it names the field
 * or value that was wrong.
 */
export function errorNotice(lang: Lang, error: SpiegelError): SafeHtml {
  if (lang === 'en') return html`<p class="error" role="alert">${error.message}</p>`;
  return html`<p class="error" role="alert">
    ${errorText(lang, error.code)} <span class="muted" lang="en">${error.message}</span>
  </p>`;
}
