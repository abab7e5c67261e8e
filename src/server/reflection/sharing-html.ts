import type { FastifyReply } from 'fastify';
import { formatDate } from '../../domain/reflection/format.ts';
import type { Comment, ShareInfo, Supervisor } from '../../store/reflection-shares.ts';
import type { ReflectionItemType } from '../../store/schema.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { csrfField } from './page.ts';
import { jt } from './texts-more.ts';

/** The owner's sharing panel under an item, and the comment thread (shared by owner and supervisor pages). */

export function commentsHtml(comments: Comment[], lang: Lang): SafeHtml {
  if (comments.length === 0) return html`<p class="muted">${jt(lang, 'comments.none')}</p>`;
  return html`<ol class="comments">
    ${comments.map(
      (c) =>
        html`<li class="comment" data-testid="comment">
          <p class="muted">${jt(lang, 'comments.by', { name: c.authorName, date: formatDate(c.createdAt, lang) })}</p>
          <p class="prewrap">${c.text}</p>
        </li>`,
    )}
  </ol>`;
}

export function commentForm(
  reply: FastifyReply,
  action: string,
  lang: Lang,
  idSuffix: string,
  label = jt(lang, 'comments.add'),
  returnTo: string | null = null,
): SafeHtml {
  return html`<form method="post" action="${action}" class="comment-form">
    ${csrfField(reply)} ${returnTo ? html`<input type="hidden" name="returnTo" value="${returnTo}" />` : null}
    <label for="comment-${idSuffix}">${label}</label>
    <textarea id="comment-${idSuffix}" name="text" rows="3" maxlength="8000" required></textarea>
    <p><button type="submit">${jt(lang, 'comments.submit')}</button></p>
  </form>`;
}

export function sharingPanel(
  reply: FastifyReply,
  lang: Lang,
  input: {
    itemType: ReflectionItemType;
    itemId: string;
    returnTo: string;
    supervisors: Supervisor[];
    shares: ShareInfo[];
    comments: Comment[];
  },
): SafeHtml {
  const active = input.shares.filter((s) => !s.revokedAt);
  return html`<section class="card sharing" aria-labelledby="sharing-title">
    <h2 id="sharing-title">${jt(lang, 'share.title')}</h2>
    <p class="muted">${jt(lang, 'share.explain')}</p>
    ${input.shares.length === 0 ? html`<p>${jt(lang, 'share.notShared')}</p>` : null}
    <ul class="shares">
      ${input.shares.map(
        (s) =>
          html`<li data-testid="share">
            ${
              s.revokedAt
                ? jt(lang, 'share.revoked', { name: s.supervisor.displayName, date: formatDate(s.revokedAt, lang) })
                : html`${jt(lang, 'share.active', { name: s.supervisor.displayName, date: formatDate(s.createdAt, lang) })}
                    <form method="post" action="/app/reflection/shares/${s.id}/revoke" class="inline">
                      ${csrfField(reply)}<input type="hidden" name="returnTo" value="${input.returnTo}" /><button
                        type="submit"
                        class="secondary"
                      >
                        ${jt(lang, 'share.revoke')}
                      </button>
                    </form>`
            }
          </li>`,
      )}
    </ul>
    ${
      input.supervisors.length === 0
        ? html`<p>${jt(lang, 'share.noSupervisors')}</p>`
        : html`<form method="post" action="/app/reflection/shares">
            ${csrfField(reply)}
            <input type="hidden" name="itemType" value="${input.itemType}" />
            <input type="hidden" name="itemId" value="${input.itemId}" />
            <input type="hidden" name="returnTo" value="${input.returnTo}" />
            <label for="share-supervisor">${jt(lang, 'share.supervisor')}</label>
            <select id="share-supervisor" name="supervisorId" required>
              ${input.supervisors.map((s) => html`<option value="${s.id}">${s.displayName}</option>`)}
            </select>
            <p><button type="submit">${jt(lang, 'share.button')}</button></p>
          </form>`
    }
    <h3>${jt(lang, 'comments.title')}</h3>
    ${commentsHtml(input.comments, lang)}
    ${active.map((share, i) => commentForm(reply, `/app/reflection/shares/${share.id}/comments`, lang, `owner-${i}`, jt(lang, 'comments.to', { name: share.supervisor.displayName }), input.returnTo))}
  </section>`;
}

/** Only local paths may be used to return after a form post (no open redirect). */
export function safeReturn(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/app\/[A-Za-z0-9/_-]*$/.test(value) ? value : fallback;
}
