import { defineTexts } from '../../web/i18n.ts';

/** Texts of the account pages: password links, password change, TOTP enrolment, and staff mail. */
export const authTexts = defineTexts({
  'forgot.link': { nl: 'Wachtwoord vergeten?', en: 'Forgot your password?' },
  'forgot.title': { nl: 'Wachtwoord vergeten', en: 'Forgot password' },
  'forgot.intro': {
    nl: 'Vul je e-mailadres in. Als er een account bij hoort, sturen we een link waarmee je binnen een uur een nieuw wachtwoord kiest.',
    en: 'Enter your email address. If it belongs to an account, we send a link to choose a new password within an hour.',
  },
  'forgot.submit': { nl: 'Stuur de link', en: 'Send the link' },
  'forgot.sent': {
    nl: 'Als dit adres bij een account hoort, is er een link onderweg. Geen e-mail? Vraag je beheerder.',
    en: 'If this address belongs to an account, a link is on its way. No email? Ask your administrator.',
  },
  'password.inviteTitle': { nl: 'Welkom bij Spiegel', en: 'Welcome to Spiegel' },
  'password.inviteIntro': { nl: 'Kies een wachtwoord voor {email}.', en: 'Choose a password for {email}.' },
  'password.resetTitle': { nl: 'Nieuw wachtwoord', en: 'New password' },
  'password.resetIntro': { nl: 'Kies een nieuw wachtwoord voor {email}.', en: 'Choose a new password for {email}.' },
  'password.new': { nl: 'Nieuw wachtwoord', en: 'New password' },
  'password.repeat': { nl: 'Herhaal het nieuwe wachtwoord', en: 'Repeat the new password' },
  'password.rules': {
    nl: 'Minstens 12 en hoogstens 128 tekens. Een zin van een paar woorden werkt goed.',
    en: 'At least 12 and at most 128 characters. A sentence of a few words works well.',
  },
  'password.submit': { nl: 'Wachtwoord opslaan', en: 'Save password' },
  'password.setDone': {
    nl: 'Je wachtwoord is opgeslagen. Log in met je nieuwe wachtwoord.',
    en: 'Your password is saved. Log in with your new password.',
  },
  'password.mismatch': { nl: 'De twee wachtwoorden zijn niet gelijk.', en: 'The two passwords differ.' },
  'password.tooShort': {
    nl: 'Het wachtwoord moet minstens 12 tekens lang zijn.',
    en: 'The password must be at least 12 characters long.',
  },
  'password.tooLong': {
    nl: 'Het wachtwoord mag hoogstens 128 tekens lang zijn.',
    en: 'The password must be at most 128 characters long.',
  },
  'password.linkInvalid': {
    nl: 'Deze link is ongeldig, al gebruikt of verlopen. Vraag een nieuwe link aan.',
    en: 'This link is invalid, already used or expired. Request a new link.',
  },
  'account.title': { nl: 'Mijn account', en: 'My account' },
  'account.totpTitle': { nl: 'Tweestapsverificatie', en: 'Two-step verification' },
  'account.totpOn': { nl: 'Tweestapsverificatie staat aan.', en: 'Two-step verification is on.' },
  'account.totpOff': { nl: 'Tweestapsverificatie staat uit.', en: 'Two-step verification is off.' },
  'account.totpSetup': { nl: 'Tweestapsverificatie instellen', en: 'Set up two-step verification' },
  'account.passwordTitle': { nl: 'Wachtwoord wijzigen', en: 'Change password' },
  'account.current': { nl: 'Huidig wachtwoord', en: 'Current password' },
  'account.changeSubmit': { nl: 'Wachtwoord wijzigen', en: 'Change password' },
  'account.changed': {
    nl: 'Je wachtwoord is gewijzigd. Je andere sessies zijn beëindigd.',
    en: 'Your password has been changed. Your other sessions have been ended.',
  },
  'account.currentWrong': { nl: 'Het huidige wachtwoord klopt niet.', en: 'The current password is incorrect.' },
  'totp.title': { nl: 'Tweestapsverificatie instellen', en: 'Set up two-step verification' },
  'totp.required': {
    nl: 'Je organisatie vraagt tweestapsverificatie voor je rol. Stel het in voordat je verdergaat.',
    en: 'Your organisation requires two-step verification for your role. Set it up before you continue.',
  },
  'totp.step1': {
    nl: 'Scan deze QR-code met een authenticator-app (bijvoorbeeld FreeOTP, Aegis of Google Authenticator).',
    en: 'Scan this QR code with an authenticator app (for example FreeOTP, Aegis or Google Authenticator).',
  },
  'totp.qrLabel': { nl: 'QR-code voor je authenticator-app', en: 'QR code for your authenticator app' },
  'totp.secret': {
    nl: 'Lukt scannen niet? Typ deze sleutel in de app:',
    en: 'Cannot scan? Type this key into the app:',
  },
  'totp.code': { nl: 'Code van zes cijfers uit de app', en: 'Six-digit code from the app' },
  'totp.confirm': { nl: 'Bevestigen', en: 'Confirm' },
  'totp.invalid': {
    nl: 'Die code klopt niet. Probeer de volgende code uit de app.',
    en: 'That code is incorrect. Try the next code from the app.',
  },
  'totp.done': { nl: 'Tweestapsverificatie staat nu aan.', en: 'Two-step verification is now on.' },
  'mail.invite.subject': { nl: 'Uitnodiging voor Spiegel', en: 'Invitation to Spiegel' },
  'mail.invite.body': {
    nl: 'Je bent uitgenodigd voor Spiegel ({org}). Kies binnen 7 dagen een wachtwoord via deze link:',
    en: 'You have been invited to Spiegel ({org}). Choose a password within 7 days using this link:',
  },
  'mail.reset.subject': { nl: 'Nieuw wachtwoord voor Spiegel', en: 'New password for Spiegel' },
  'mail.reset.body': {
    nl: 'Kies binnen een uur een nieuw wachtwoord via deze link. Heb je dit niet aangevraagd? Dan kun je deze e-mail negeren.',
    en: 'Choose a new password within an hour using this link. If you did not ask for this, you can ignore this email.',
  },
  'mail.changed.subject': { nl: 'Je Spiegel-account is gewijzigd', en: 'Your Spiegel account was changed' },
  'mail.changed.password': {
    nl: 'Het wachtwoord van je Spiegel-account is zojuist gewijzigd. Was jij dit niet? Neem direct contact op met je beheerder.',
    en: 'The password of your Spiegel account was just changed. If this was not you, contact your administrator at once.',
  },
  'mail.changed.totp': {
    nl: 'Op je Spiegel-account is zojuist tweestapsverificatie ingesteld. Was jij dit niet? Neem direct contact op met je beheerder.',
    en: 'Two-step verification was just set up on your Spiegel account. If this was not you, contact your administrator at once.',
  },
});
