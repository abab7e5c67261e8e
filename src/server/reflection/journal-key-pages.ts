import type { FastifyReply } from 'fastify';
import type { JournalKeyState } from '../../store/journal-keys.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { defineTexts, type Lang } from '../../web/i18n.ts';
import { csrfField } from './page.ts';

/** Texts and the journal-page panel of the therapist's own journal key (decision 0035). */

export const kt = defineTexts({
  'key.lockedTitle': { nl: 'Eerdere reflecties zijn vergrendeld', en: 'Earlier reflections are locked' },
  'key.lockedText': {
    nl: 'Je wachtwoord is opnieuw ingesteld via een link. Je eerdere reflecties ({count}) zijn versleuteld met je oude sleutel en niet leesbaar, ook niet voor wie de link heeft gemaakt. Vul je vorige wachtwoord of je herstelcode in om ze weer te openen.',
    en: 'Your password was set again through a link. Your earlier reflections ({count}) are encrypted with your old key and cannot be read, not even by whoever made the link. Enter your previous password or your recovery code to open them again.',
  },
  'key.secret': { nl: 'Vorig wachtwoord of herstelcode', en: 'Previous password or recovery code' },
  'key.unlock': { nl: 'Openen', en: 'Open' },
  'key.unlocked': {
    nl: 'Je eerdere reflecties zijn weer te openen.',
    en: 'Your earlier reflections can be opened again.',
  },
  'key.unlockFailed': {
    nl: 'Dat opent geen eerdere sleutel. Controleer je vorige wachtwoord of herstelcode.',
    en: 'That does not open an earlier key. Check your previous password or recovery code.',
  },
  'key.recoveryTitle': { nl: 'Herstelcode voor je reflecties', en: 'Recovery code for your reflections' },
  'key.recoveryMissing': {
    nl: 'Je reflecties zijn versleuteld met een sleutel die alleen jouw wachtwoord opent. Wordt je wachtwoord ooit opnieuw ingesteld via een link, dan heb je een herstelcode nodig (of je vorige wachtwoord) om ze weer te lezen.',
    en: 'Your reflections are encrypted with a key that only your password opens. If your password is ever set again through a link, you need a recovery code (or your previous password) to read them again.',
  },
  'key.recoveryHave': {
    nl: 'Je hebt een herstelcode. Een nieuwe code maakt de vorige ongeldig.',
    en: 'You have a recovery code. A new code makes the previous one invalid.',
  },
  'key.recoveryMake': { nl: 'Maak een herstelcode', en: 'Make a recovery code' },
  'key.recoveryShown': {
    nl: 'Bewaar deze code buiten Spiegel, bijvoorbeeld in je wachtwoordmanager. Hij wordt maar één keer getoond; Spiegel bewaart hem niet.',
    en: 'Keep this code outside Spiegel, for example in your password manager. It is shown only once; Spiegel does not keep it.',
  },
  'key.back': { nl: 'Terug naar het dagboek', en: 'Back to the journal' },
});

/** The panel on the journal page: locked earlier keys, and the recovery code. */
export function journalKeyPanel(reply: FastifyReply, lang: Lang, state: JournalKeyState, notice?: string): SafeHtml {
  const message =
    notice === 'unlocked'
      ? html`<p class="notice" role="status">${kt(lang, 'key.unlocked')}</p>`
      : notice === 'unlock-failed'
        ? html`<p class="error" role="alert">${kt(lang, 'key.unlockFailed')}</p>`
        : null;
  const locked =
    state.lockedItems > 0
      ? html`<section class="card" aria-labelledby="locked-h" data-testid="journal-locked">
          <h2 id="locked-h">${kt(lang, 'key.lockedTitle')}</h2>
          <p>${kt(lang, 'key.lockedText', { count: state.lockedItems })}</p>
          <form method="post" action="/app/journal/unlock">
            ${csrfField(reply)}
            <label for="secret">${kt(lang, 'key.secret')}</label>
            <input id="secret" name="secret" type="password" autocomplete="off" required maxlength="1024" />
            <p><button type="submit">${kt(lang, 'key.unlock')}</button></p>
          </form>
        </section>`
      : null;
  const recovery = html`<section class="card" aria-labelledby="recovery-h">
    <h2 id="recovery-h">${kt(lang, 'key.recoveryTitle')}</h2>
    <p>${kt(lang, state.hasRecoveryCode ? 'key.recoveryHave' : 'key.recoveryMissing')}</p>
    <form method="post" action="/app/journal/recovery-code">
      ${csrfField(reply)}
      <button type="submit">${kt(lang, 'key.recoveryMake')}</button>
    </form>
  </section>`;
  return html`${message}${locked}${recovery}`;
}
