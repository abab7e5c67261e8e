import { html, type SafeHtml } from './html.ts';
import { t, type Lang } from './i18n.ts';
import type { Role } from '../domain/roles.ts';

export interface PageUser {
  displayName: string;
  roles: Role[];
}

export interface PageOptions {
  lang: Lang;
  title: string;
  body: SafeHtml;
  user?: PageUser | null;
  /** CSRF token for the logout form and page scripts. */
  csrfToken?: string;
  /** Paths of scripts under /static; inline scripts are forbidden by the CSP. */
  scripts?: string[];
  /** The current path, for the language switch. */
  path?: string;
}

function nav(lang: Lang, user: PageUser, csrfToken: string | undefined): SafeHtml {
  const links: Array<[string, string]> = [];
  if (user.roles.includes('therapist')) {
    links.push(
      ['/app/caseload', t(lang, 'nav.caseload')],
      ['/app/clients', t(lang, 'nav.clients')],
      ['/app/self-check', t(lang, 'nav.selfcheck')],
      ['/app/journal', t(lang, 'nav.journal')],
      ['/app/practice', t(lang, 'nav.practice')],
      ['/app/effectiveness', t(lang, 'nav.effectiveness')],
      ['/app/dashboards/mine', t(lang, 'nav.mine')],
    );
  }
  if (user.roles.includes('supervisor')) links.push(['/app/shared', t(lang, 'nav.shared')]);
  if (user.roles.includes('manager')) links.push(['/app/organisation', t(lang, 'nav.organisation')]);
  if (user.roles.includes('manager')) links.push(['/app/dashboards', t(lang, 'nav.dashboards')]);
  if (user.roles.includes('researcher')) links.push(['/app/research', t(lang, 'nav.research')]);
  // Interview coding: researchers lead projects, therapists and researchers code them.
  if (user.roles.includes('researcher') || user.roles.includes('therapist'))
    links.push(['/app/qual', t(lang, 'nav.interviews')]);
  if (user.roles.includes('admin')) links.push(['/app/admin', t(lang, 'nav.admin')]);
  links.push(['/app/account', t(lang, 'nav.account')]);
  return html`<nav aria-label="Spiegel">
    <ul class="nav">
      ${links.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}
      <li>
        <form method="post" action="/logout">
          <input type="hidden" name="_csrf" value="${csrfToken ?? ''}" /><button type="submit" class="link">
            ${t(lang, 'nav.logout')}
          </button>
        </form>
      </li>
    </ul>
  </nav>`;
}

function languageSwitch(lang: Lang, path: string): SafeHtml {
  const other: Lang = lang === 'nl' ? 'en' : 'nl';
  const separator = path.includes('?') ? '&' : '?';
  return html`<a class="lang" href="${path}${separator}lang=${other}" hreflang="${other}" lang="${other}"
    >${other === 'nl' ? 'Nederlands' : 'English'}</a
  >`;
}

export function page(options: PageOptions): string {
  const { lang, title, body, user, csrfToken, scripts = [], path = '/' } = options;
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Spiegel</title>
        <link rel="stylesheet" href="/static/app.css" />
        ${csrfToken ? html`<meta name="csrf-token" content="${csrfToken}" />` : null}
        ${scripts.map((src) => html`<script src="${src}" defer></script>`)}
      </head>
      <body>
        <a class="skip" href="#main">${t(lang, 'nav.skip')}</a>
        <header class="top">
          <a class="brand" href="${user ? '/app' : '/'}">Spiegel</a>
          ${user ? nav(lang, user, csrfToken) : null} ${languageSwitch(lang, path.replace(/[?&]lang=(nl|en)/, ''))}
        </header>
        <main id="main">${body}</main>
      </body>
    </html>`.value;
}
