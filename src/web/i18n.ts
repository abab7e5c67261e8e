/** UI languages. Dutch is the default; every key has both languages (a test checks). */
export type Lang = 'nl' | 'en';

export function parseLang(value: unknown): Lang | null {
  return value === 'nl' || value === 'en' ? value : null;
}

type Dictionary = Record<string, { nl: string; en: string }>;

const texts = {
  'app.name': { nl: 'Spiegel', en: 'Spiegel' },
  'app.tagline': {
    nl: 'Feedback, reflectie en effectiviteit voor psychotherapeuten',
    en: 'Feedback, reflection and effectiveness for psychotherapists',
  },
  'nav.skip': { nl: 'Naar de inhoud', en: 'Skip to content' },
  'nav.caseload': { nl: 'Caseload', en: 'Caseload' },
  'nav.clients': { nl: 'Cliënten', en: 'Clients' },
  'nav.selfcheck': { nl: 'Zelfcheck', en: 'Self-check' },
  'nav.effectiveness': { nl: 'Effectiviteit', en: 'Effectiveness' },
  'nav.journal': { nl: 'Dagboek', en: 'Journal' },
  'nav.practice': { nl: 'Oefenen', en: 'Practice' },
  'nav.shared': { nl: 'Gedeeld met mij', en: 'Shared with me' },
  'nav.organisation': { nl: 'Organisatie', en: 'Organisation' },
  'nav.dashboards': { nl: 'Dashboards', en: 'Dashboards' },
  'nav.mine': { nl: 'Mijn uitkomsten', en: 'My outcomes' },
  'nav.admin': { nl: 'Beheer', en: 'Administration' },
  'nav.research': { nl: 'Onderzoek', en: 'Research' },
  'nav.interviews': { nl: 'Interviews', en: 'Interviews' },
  'nav.logout': { nl: 'Uitloggen', en: 'Log out' },
  'nav.account': { nl: 'Mijn account', en: 'My account' },
  'nav.language': { nl: 'Taal', en: 'Language' },
  'login.title': { nl: 'Inloggen', en: 'Log in' },
  'login.email': { nl: 'E-mailadres', en: 'Email address' },
  'login.password': { nl: 'Wachtwoord', en: 'Password' },
  'login.totp': {
    nl: 'Code uit je authenticator-app (als je die gebruikt)',
    en: 'Code from your authenticator app (if you use one)',
  },
  'login.submit': { nl: 'Inloggen', en: 'Log in' },
  'login.demo': {
    nl: 'Demo-omgeving: de inloggegevens staan in de terminal waarin Spiegel is gestart.',
    en: 'Demo environment: the login details are printed in the terminal where Spiegel was started.',
  },
  'shell.welcome': { nl: 'Welkom, {name}', en: 'Welcome, {name}' },
  'shell.roles': { nl: 'Je rollen: {roles}', en: 'Your roles: {roles}' },
  'shell.intro': {
    nl: 'Kies hierboven een onderdeel. Wat je hier over jezelf ziet, is alleen voor jou zichtbaar.',
    en: 'Choose a section above. What you see here about yourself is visible only to you.',
  },
  'role.admin': { nl: 'beheerder', en: 'administrator' },
  'role.therapist': { nl: 'therapeut', en: 'therapist' },
  'role.supervisor': { nl: 'supervisor', en: 'supervisor' },
  'role.manager': { nl: 'manager', en: 'manager' },
  'role.researcher': { nl: 'onderzoeker', en: 'researcher' },
  'error.title': { nl: 'Er ging iets mis', en: 'Something went wrong' },
  'error.notFound': { nl: 'Deze pagina bestaat niet.', en: 'This page does not exist.' },
  'error.400': {
    nl: 'Dit verzoek klopt niet. Ga terug en probeer het opnieuw.',
    en: 'This request is not valid. Go back and try again.',
  },
  'error.403': { nl: 'Je hebt geen toegang tot deze pagina.', en: 'You do not have access to this page.' },
  'error.409': {
    nl: 'Dit botst met een eerdere wijziging. Laad de pagina opnieuw en probeer het nog eens.',
    en: 'This conflicts with an earlier change. Reload the page and try again.',
  },
  'error.429': {
    nl: 'Te veel verzoeken in korte tijd. Wacht even en probeer het dan opnieuw.',
    en: 'Too many requests in a short time. Wait a moment and try again.',
  },
  'error.500': {
    nl: 'Er ging aan onze kant iets mis. De fout is vastgelegd.',
    en: 'Something went wrong on our side. The error has been logged.',
  },
  'error.code': { nl: 'Foutcode: {code}', en: 'Error code: {code}' },
  'error.back': { nl: 'Terug naar het begin', en: 'Back to the start' },
} satisfies Dictionary;

export type TextKey = keyof typeof texts;
export type TextParams = Record<string, string | number>;

/** Every catalogue in the process, so tests can check one language never shows the other's texts. */
export const catalogues: Dictionary[] = [texts];
/** Keys looked up but not found; the language-leak test fails when this is not empty. */
export const missingTextKeys = new Set<string>();

const LOCALES: Record<Lang, string> = { nl: 'nl-NL', en: 'en-GB' };
/** Dates and times are shown in the organisation's time zone; Spiegel serves Dutch practices. */
export const TIME_ZONE = 'Europe/Amsterdam';
const pluralRules = { nl: new Intl.PluralRules('nl-NL'), en: new Intl.PluralRules('en-GB') };

/** The BCP 47 locale of a UI language (nl-NL, en-GB). */
export function localeOf(lang: Lang): string {
  return LOCALES[lang];
}

/** A number with a decimal comma in Dutch and a point in English, `digits` decimals at most. */
export function formatNumber(lang: Lang, value: number, digits = 2): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits, useGrouping: false }).format(value);
}

/** A calendar date (5 december 2026 / 5 December 2026) in Europe/Amsterdam. */
export function formatDate(lang: Lang, date: Date | string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: TIME_ZONE }).format(new Date(date));
}

/** A date with the time of day, in Europe/Amsterdam. */
export function formatDateTime(lang: Lang, date: Date | string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE }).format(
    new Date(date),
  );
}

/**
 * Fills a message: `{name}` takes a parameter, and `{count, plural, one {# sessie} other {# sessies}}`
 * chooses by the language's plural rules (Intl.PluralRules), with `#` standing for the number.
 * Fractional numbers get the language's decimal separator.
 */
export function formatMessage(lang: Lang, template: string, params: TextParams = {}): string {
  const withPlurals = template.replace(
    /\{(\w+), plural, ((?:[=\w]+ \{[^{}]*\} ?)+)\}/g,
    (_whole, name: string, cases: string) => {
      const count = Number(params[name]);
      const options = new Map<string, string>();
      for (const match of cases.matchAll(/([=\w]+) \{([^{}]*)\}/g)) options.set(match[1], match[2]);
      const chosen =
        options.get(`=${count}`) ?? options.get(pluralRules[lang].select(count)) ?? options.get('other') ?? '';
      return chosen.replaceAll('#', formatValue(lang, count));
    },
  );
  return withPlurals.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? formatValue(lang, params[name]) : whole,
  );
}

function formatValue(lang: Lang, value: string | number): string {
  return typeof value === 'number' && !Number.isInteger(value) ? formatNumber(lang, value, 3) : String(value);
}

export function t(lang: Lang, key: TextKey, params: TextParams = {}): string {
  return formatMessage(lang, texts[key][lang], params);
}

/**
 * A feature module's catalogue, with the same lookup as `t`. One mechanism for every page, PDF, mail
 * and message; keys are typed, and a key missing at run time (e.g. a rule name from newer data) is
 * recorded for the tests and shown as the key rather than failing the page.
 */
export function defineTexts<T extends Dictionary>(extra: T): (lang: Lang, key: keyof T, params?: TextParams) => string {
  catalogues.push(extra);
  return (lang, key, params = {}) => {
    const entry = extra[key];
    if (!entry) {
      missingTextKeys.add(String(key));
      return String(key);
    }
    return formatMessage(lang, entry[lang], params);
  };
}
