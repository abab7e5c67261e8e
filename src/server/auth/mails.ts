import type { Lang } from '../../web/i18n.ts';
import type { Mail } from './mailer.ts';
import { authTexts } from './texts.ts';

/**
 * Staff mail, composed in the recipient's language. `null` means that language is not known: a
 * colleague invited by the admin, or a staff member who has not signed in since languages were
 * remembered (migration 061). Such a mail is in both languages, Dutch first, the two halves divided
 * by BILINGUAL_SEPARATOR (the language-leak test checks each half in its own language).
 */
export type MailLang = Lang | null;

export const BILINGUAL_SEPARATOR = '\n\n— English —\n\n';

type AuthKey = Parameters<typeof authTexts>[1];

export function inLanguage(lang: MailLang, text: (lang: Lang) => string, join = BILINGUAL_SEPARATOR): string {
  return lang ? text(lang) : `${text('nl')}${join}${text('en')}`;
}

const subjectIn = (lang: MailLang, key: AuthKey) => inLanguage(lang, (l) => authTexts(l, key), ' / ');

/** The invitation (choose a first password) or the reset link. */
export function passwordLinkMail(
  lang: MailLang,
  purpose: 'invite' | 'reset',
  to: string,
  orgName: string,
  url: string,
): Mail {
  const body = (l: Lang) =>
    purpose === 'invite' ? authTexts(l, 'mail.invite.body', { org: orgName }) : authTexts(l, 'mail.reset.body');
  return {
    to,
    subject: subjectIn(lang, `mail.${purpose}.subject`),
    text: `${inLanguage(lang, body)}\n\n${url}\n`,
  };
}

/** The security notice after a change to the account (password or two-step verification). */
export function accountChangedMail(lang: MailLang, what: 'password' | 'totp', to: string): Mail {
  return {
    to,
    subject: subjectIn(lang, 'mail.changed.subject'),
    text: inLanguage(lang, (l) => authTexts(l, `mail.changed.${what}`)),
  };
}
