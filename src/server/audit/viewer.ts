import type { FastifyInstance } from 'fastify';
import { audit } from '../../store/audit.ts';
import type { Role } from '../../store/schema.ts';
import { html } from '../../web/html.ts';
import { localeOf, type Lang } from '../../web/i18n.ts';
import { adminTexts } from '../admin/texts.ts';
import { sendPage } from '../pages.ts';
import {
  activeFilters,
  AUDIT_TIME_ZONE,
  FILTER_SCHEMA,
  OUTCOMES,
  searchAudit,
  toCsv,
  type AuditFilter,
} from './search.ts';

// The admin's audit viewer (/app/admin/audit) and its CSV export. Admins see the trail of their own
// organisation only; details never hold clinical content. Looking at the trail is itself audited.

const ADMIN = { access: { kind: 'staff' as const, roles: ['admin' as Role] } };
export const PAGE_SIZE = 100;
export const CSV_MAX_ROWS = 50_000;

function when(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(localeOf(lang), {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone: AUDIT_TIME_ZONE,
  }).format(new Date(date));
}

function queryString(filter: AuditFilter, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ ...activeFilters({ ...filter, before: undefined }), ...extra }).toString();
}

export function registerAuditViewer(app: FastifyInstance): void {
  const db = () => app.ctx.store.db;

  app.get<{ Querystring: AuditFilter }>(
    '/app/admin/audit',
    { schema: { hide: true, querystring: FILTER_SCHEMA }, config: ADMIN },
    async (request, reply) => {
      const staff = request.staff!;
      const lang = request.lang;
      const a = (key: Parameters<typeof adminTexts>[1], params?: Record<string, string | number>) =>
        adminTexts(lang, key, params);
      const filter = request.query;
      const rows = await searchAudit(db(), staff.orgId, filter, PAGE_SIZE);
      await audit(db(), {
        orgId: staff.orgId,
        actorId: staff.userId,
        actorRole: staff.roles.join(','),
        action: 'audit.view',
        ip: request.ip,
        outcome: 'ok',
        details: { filters: activeFilters(filter), rows: rows.length },
      });
      const v = (key: keyof AuditFilter) => filter[key] ?? '';
      const older =
        rows.length === PAGE_SIZE
          ? `/app/admin/audit?${queryString(filter, { before: String(rows[rows.length - 1].seq) })}`
          : null;
      const body = html`<h1>${a('admin.audit')}</h1>
        <form method="get" action="/app/admin/audit" class="card filters">
          <div>
            <label for="f-actor">${a('audit.actor')}</label
            ><input id="f-actor" name="actor" type="text" maxlength="320" value="${v('actor')}" />
          </div>
          <div>
            <label for="f-action">${a('audit.action')}</label
            ><input id="f-action" name="action" type="text" maxlength="100" value="${v('action')}" />
          </div>
          <div>
            <label for="f-subject">${a('audit.subject')}</label
            ><input id="f-subject" name="subject" type="text" maxlength="200" value="${v('subject')}" />
          </div>
          <div>
            <label for="f-from">${a('audit.from')}</label
            ><input id="f-from" name="from" type="date" value="${v('from')}" />
          </div>
          <div>
            <label for="f-to">${a('audit.to')}</label><input id="f-to" name="to" type="date" value="${v('to')}" />
          </div>
          <div>
            <label for="f-outcome">${a('audit.outcome')}</label
            ><select id="f-outcome" name="outcome">
              <option value="">${a('audit.any')}</option>
              ${OUTCOMES.map((o) => html`<option value="${o}" ${filter.outcome === o ? html`selected` : null}>${o}</option>`)}
            </select>
          </div>
          <p>
            <button type="submit">${a('audit.filter')}</button>
            <a href="/app/admin/audit.csv?${queryString(filter)}" download>${a('audit.csv')}</a>
          </p>
        </form>
        ${
          rows.length === 0
            ? html`<p>${a('audit.none')}</p>`
            : html`<div class="table-scroll">
                <table class="audit">
                  <caption>
                    ${a('audit.caption', { n: PAGE_SIZE })}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">${a('audit.when')}</th>
                      <th scope="col">${a('audit.actor')}</th>
                      <th scope="col">${a('audit.action')}</th>
                      <th scope="col">${a('audit.subject')}</th>
                      <th scope="col">${a('audit.outcome')}</th>
                      <th scope="col">${a('audit.ip')}</th>
                      <th scope="col">${a('audit.details')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows.map(
                      (r) =>
                        html`<tr>
                          <td>${r.seq}</td>
                          <td>${when(r.at, lang)}</td>
                          <td>
                            ${r.actor_email ?? r.actor_id ?? '—'}${r.actor_role ? html` <span class="muted">(${r.actor_role})</span>` : null}
                          </td>
                          <td><code>${r.action}</code></td>
                          <td>
                            ${r.subject_type ? html`<code>${r.subject_type}</code> <code>${r.subject_id ?? ''}</code>` : '—'}
                          </td>
                          <td>${outcomeText(lang, r.outcome)}</td>
                          <td>${r.ip ?? ''}</td>
                          <td>
                            ${
                              r.details === null
                                ? html`<span class="muted">${a('audit.erased')}</span>`
                                : html`<code class="details">${JSON.stringify(r.details)}</code>`
                            }
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }
        ${older ? html`<p><a href="${older}">${a('audit.older')}</a></p>` : null}`;
      return sendPage(request, reply, { title: a('admin.audit'), body, path: '/app/admin/audit' });
    },
  );

  app.get<{ Querystring: AuditFilter }>(
    '/app/admin/audit.csv',
    { schema: { hide: true, querystring: FILTER_SCHEMA }, config: ADMIN },
    async (request, reply) => {
      const staff = request.staff!;
      const rows = await searchAudit(db(), staff.orgId, request.query, CSV_MAX_ROWS);
      await audit(db(), {
        orgId: staff.orgId,
        actorId: staff.userId,
        actorRole: staff.roles.join(','),
        action: 'audit.export',
        ip: request.ip,
        outcome: 'ok',
        details: { filters: activeFilters(request.query), rows: rows.length },
      });
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="spiegel-audit-${stamp}.csv"`)
        .send('\uFEFF' + toCsv(rows));
    },
  );
}

/** Outcomes are stored as codes (ok, allowed, denied); the reader sees them in their language. */
function outcomeText(lang: Lang, outcome: string): string {
  return outcome === 'ok' || outcome === 'allowed' || outcome === 'denied'
    ? adminTexts(lang, `audit.outcome.${outcome}`)
    : outcome;
}
