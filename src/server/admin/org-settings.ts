import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  alertRules,
  crisisContacts,
  measurementDefaults,
  parseAlertRules,
  parseCrisisContacts,
  parseMeasurementDefaults,
} from '../../domain/settings/organisation.ts';
import {
  dashboardSettings,
  parseDashboardSettings,
  storedDashboardSettings,
} from '../../domain/dashboards/settings.ts';
import { FOLLOW_UP_HOURS } from '../../domain/dashboards/figures.ts';
import { appendAudit } from '../../store/audit.ts';
import type { Role } from '../../store/schema.ts';
import { mergeOrgSettings, readOrgSettings } from '../../store/users.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { DEFAULT_CRISIS_CONTACTS } from '../../web/form/texts.ts';
import { isFormPost, sendPage } from '../pages.ts';
import { orgText } from './org-texts.ts';

// Organisation settings an admin edits: one form per section, each stored under its own key of
// organisations.settings (other features' keys are left alone) and audited with before and after.

const ADMIN = { access: { kind: 'staff' as const, roles: ['admin' as Role] } };
const CONTACT_ROWS = 5;
type Key = Parameters<typeof orgText>[1];

const SECTIONS = {
  crisis: {
    key: 'crisisContacts',
    read: (s: Record<string, unknown>) => crisisContacts(s),
    parse: (b: Record<string, unknown>) =>
      parseCrisisContacts(
        [...Array(CONTACT_ROWS).keys()].map((i) => ({
          nl: b[`nl${i}`] as string,
          en: b[`en${i}`] as string,
          href: b[`href${i}`] as string,
        })),
      ),
  },
  alerts: { key: 'alertRules', read: alertRules, parse: parseAlertRules },
  measurement: { key: 'measurementDefaults', read: measurementDefaults, parse: parseMeasurementDefaults },
  dashboards: {
    key: 'dashboards',
    read: (s: Record<string, unknown>) => storedDashboardSettings(dashboardSettings(s)),
    parse: (b: Record<string, unknown>) => storedDashboardSettings(parseDashboardSettings(b)),
  },
} as const;
type Section = keyof typeof SECTIONS;

async function page(request: FastifyRequest, reply: FastifyReply, notice: string | null) {
  const lang = request.lang;
  const t = (key: Key, params?: Record<string, string | number>) => orgText(lang, key, params);
  const settings = await readOrgSettings(request.server.ctx.store.db, request.staff!.orgId);
  const csrf = reply.generateCsrf();
  const contacts = crisisContacts(settings) ?? DEFAULT_CRISIS_CONTACTS;
  const rules = alertRules(settings);
  const m = measurementDefaults(settings);
  const d = dashboardSettings(settings);
  const field = (
    id: string,
    label: string,
    value: string | number,
    attrs: { type?: string; min?: number; max?: number; step?: number } = {},
  ) =>
    html`<label for="${id}">${label}</label>
      <input
        id="${id}"
        name="${id}"
        type="${attrs.type ?? 'number'}"
        value="${String(value)}"
        ${attrs.min !== undefined ? html`min="${attrs.min}"` : null}
        ${attrs.max !== undefined ? html`max="${attrs.max}"` : null}
        ${attrs.step !== undefined ? html`step="${attrs.step}"` : null}
      />`;
  const form = (section: Section, title: string, inner: SafeHtml | SafeHtml[], help?: string) =>
    html`<form method="post" action="/app/admin/organisation/${section}" class="card" data-testid="settings-${section}">
      <h2>${title}</h2>
      ${help ? html`<p class="muted">${help}</p>` : null}
      <input type="hidden" name="_csrf" value="${csrf}" />
      ${inner}
      <p><button type="submit">${t('save')}</button></p>
    </form>`;
  const body = html`<h1>${t('title')}</h1>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
    ${form(
      'crisis',
      t('crisis.title'),
      [...Array(CONTACT_ROWS).keys()].map((i) => {
        const c = contacts[i];
        return html`<fieldset>
          <legend>${String(i + 1)}</legend>
          ${field(`nl${i}`, t('crisis.nl', { n: i + 1 }), c?.nl ?? '', { type: 'text' })}
          ${field(`en${i}`, t('crisis.en', { n: i + 1 }), c?.en ?? '', { type: 'text' })}
          ${field(`href${i}`, t('crisis.href', { n: i + 1 }), c?.href ?? '', { type: 'text' })}
        </fieldset>`;
      }),
      t('crisis.help'),
    )}
    ${form(
      'alerts',
      t('alerts.title'),
      html`${field('noImprovementBySession', t('alerts.noImprovement'), rules.noImprovementBySession, { min: 3, max: 20 })}
      ${field('allianceDrop', t('alerts.allianceDrop'), rules.allianceDrop, { min: 0.5, max: 4, step: 0.5 })}`,
    )}
    ${form(
      'measurement',
      t('measure.title'),
      html`<label for="schedule">${t('measure.schedule')}</label>
        <select id="schedule" name="schedule">
          ${(['every_session', 'every_n'] as const).map((s) => html`<option value="${s}" ${m.schedule === s ? html`selected` : null}>${t(`measure.${s}`)}</option>`)}
        </select>
        ${field('everyN', t('measure.everyN'), m.everyN, { min: 2, max: 8 })}
        ${field('linkValidDays', t('measure.linkDays'), m.linkValidDays, { min: 1, max: 14 })}
        ${field('reminderAfterDays', t('measure.reminder'), m.reminderAfterDays, { min: 0, max: 7 })}`,
    )}
    ${form(
      'dashboards',
      t('dash.title'),
      html`${field('minTherapists', t('dash.minTherapists'), d.minima.therapists, { min: 5, max: 50 })}
        ${field('minEpisodes', t('dash.minEpisodes'), d.minima.episodes, { min: 10, max: 500 })}
        <label for="followUpHours">${t('dash.followUp')}</label>
        <select id="followUpHours" name="followUpHours">
          ${FOLLOW_UP_HOURS.map((h) => html`<option value="${h}" ${d.followUpHours === h ? html`selected` : null}>${t('dash.hours', { n: h })}</option>`)}
        </select>`,
      t('dash.help'),
    )}`;
  return sendPage(request, reply, { title: t('title'), body, path: '/app/admin/organisation' });
}

export function registerOrgSettingsRoutes(app: FastifyInstance): void {
  app.get('/app/admin/organisation', { schema: { hide: true }, config: ADMIN }, (request, reply) =>
    page(request, reply, null),
  );

  app.post<{ Params: { section: Section }; Body: Record<string, unknown> }>(
    '/app/admin/organisation/:section',
    {
      schema: {
        hide: true,
        params: {
          type: 'object',
          properties: { section: { type: 'string', enum: Object.keys(SECTIONS) } },
          required: ['section'],
        },
        body: {
          type: 'object',
          additionalProperties: { anyOf: [{ type: 'string', maxLength: 300 }, { type: 'number' }] },
        },
      },
      config: ADMIN,
      preValidation: app.csrfProtection,
    },
    async (request, reply) => {
      const staff = request.staff!;
      const section = SECTIONS[request.params.section];
      const next = section.parse(request.body);
      await app.ctx.store.db.transaction().execute(async (trx) => {
        const before = section.read(await readOrgSettings(trx, staff.orgId));
        await mergeOrgSettings(trx, staff.orgId, { [section.key]: next });
        await appendAudit(trx, {
          orgId: staff.orgId,
          actorId: staff.userId,
          actorRole: staff.roles.join(','),
          action: `org.settings.${request.params.section}.update`,
          subjectType: 'organisation',
          subjectId: staff.orgId,
          ip: request.ip,
          outcome: 'ok',
          details: { key: section.key, from: before, to: next },
        });
      });
      if (!isFormPost(request)) return reply.send({ ok: true, [section.key]: next });
      return page(request, reply, orgText(request.lang, 'saved'));
    },
  );
}
