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
  'nav.logout': { nl: 'Uitloggen', en: 'Log out' },
  'nav.account': { nl: 'Mijn account', en: 'My account' },
  'nav.language': { nl: 'Taal', en: 'Language' },
  'login.title': { nl: 'Inloggen', en: 'Log in' },
  'login.email': { nl: 'E-mailadres', en: 'Email address' },
  'login.password': { nl: 'Wachtwoord', en: 'Password' },
  'login.totp': { nl: 'Code uit je authenticator-app', en: 'Code from your authenticator app' },
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

export function t(lang: Lang, key: TextKey, params: Record<string, string | number> = {}): string {
  let text: string = texts[key][lang];
  for (const [name, value] of Object.entries(params)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

/** Extends the dictionary from feature modules, keeping one lookup function. */
export function defineTexts<T extends Dictionary>(
  extra: T,
): (lang: Lang, key: keyof T, params?: Record<string, string | number>) => string {
  return (lang, key, params = {}) => {
    // An unknown key (e.g. a rule name from newer data) shows the key rather than failing the page.
    let text = extra[key]?.[lang] ?? String(key);
    for (const [name, value] of Object.entries(params)) text = text.replaceAll(`{${name}}`, String(value));
    return text;
  };
}
