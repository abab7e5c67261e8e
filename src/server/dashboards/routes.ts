import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Content } from 'pdfmake/interfaces.js';
import { SpiegelError } from '../../domain/errors.ts';
import { ALL, parsePeriod, periodKey } from '../../domain/dashboards/periods.ts';
import { dashboardSettings } from '../../domain/dashboards/settings.ts';
import { managerDashboard, ownOutcomes, type DashboardFilter } from '../../store/dashboards/query.ts';
import { outcomeInstrumentInfo } from '../../store/dashboards/instruments.ts';
import { readOrgSettings } from '../../store/users.ts';
import type { Modality } from '../../store/schema.ts';
import { html, raw } from '../../web/html.ts';
import { renderPdf } from '../../web/pdf.ts';
import { csvField } from '../audit/search.ts';
import { sendPage } from '../pages.ts';
import { dbText } from './texts.ts';
import { formatDecimal } from '../../domain/format.ts';
import { classesChart, dashboardRows, pct, suppressedText, trendChart, type Key } from './view.ts';

const MODALITIES: Modality[] = ['individual', 'couple', 'family', 'group'];
const QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    team: { type: 'string', maxLength: 36 },
    period: { type: 'string', maxLength: 7 },
    modality: { type: 'string', maxLength: 12 },
    instrument: { type: 'string', maxLength: 64 },
    lang: { type: 'string' },
  },
};
type Query = { team?: string; period?: string; modality?: string; instrument?: string };
const MANAGER = { access: { kind: 'aggregate' as const, roles: ['manager' as const] } };

/** The manager dashboards (page, CSV, PDF) and the therapist's own outcome mirror. */
export function registerDashboardRoutes(app: FastifyInstance): void {
  const db = () => app.ctx.store.db;
  const instruments = () => outcomeInstrumentInfo(app.ctx.instruments.all());

  function parseFilter(q: Query): DashboardFilter {
    const bad = (field: string, message: string) =>
      new SpiegelError('VALIDATION_FAILED', `querystring.${field} ${message}.`, {
        fields: [{ field: `querystring.${field}`, message }],
      });
    const period = parsePeriod(q.period || 'all');
    if (!period) throw bad('period', 'must be all, a year (2025) or a quarter (2025-Q3)');
    const modality = q.modality ? (q.modality as Modality) : null;
    if (modality && !MODALITIES.includes(modality))
      throw bad('modality', 'must be individual, couple, family or group');
    const known = instruments();
    const instrumentId =
      q.instrument || (known.find((i) => i.instrumentId === 'phq9') ?? known[0])?.instrumentId || 'phq9';
    if (!known.some((i) => i.instrumentId === instrumentId)) throw bad('instrument', 'must be an outcome instrument');
    if (q.team && !/^[0-9a-f-]{36}$/.test(q.team)) throw bad('team', 'must be a team id');
    return { team: q.team || null, period, modality, instrumentId };
  }

  async function load(request: FastifyRequest, action: string) {
    const staff = request.staff!;
    const filter = parseFilter(request.query as Query);
    const settings = dashboardSettings(await readOrgSettings(db(), staff.orgId));
    const info = instruments().find((i) => i.instrumentId === filter.instrumentId);
    const dashboard = await managerDashboard(
      db(),
      { orgId: staff.orgId, userId: staff.userId, roles: staff.roles, ip: request.ip },
      filter,
      settings,
      { bandOrder: info?.bands.map((b) => b.code), action },
    );
    if (filter.team && !dashboard.teams.some((t) => t.id === filter.team))
      throw new SpiegelError('NOT_FOUND', 'No such team.', { team: filter.team });
    const lang = request.lang;
    const teamName = filter.team
      ? dashboard.teams.find((t) => t.id === filter.team)!.name
      : dbText(lang, 'filter.allTeams');
    const label = [
      teamName,
      filter.period.kind === 'all' ? dbText(lang, 'filter.all') : periodKey(filter.period),
      filter.modality ? dbText(lang, `modality.${filter.modality}` as Key) : dbText(lang, 'filter.allModalities'),
      info?.title ?? filter.instrumentId,
    ].join(' · ');
    const rows = dashboardRows(lang, dashboard, settings.minima, settings.followUpHours, info, teamName);
    return { filter, settings, dashboard, rows, label, info };
  }

  app.get(
    '/app/dashboards',
    { config: MANAGER, schema: { hide: true, querystring: QUERY } },
    async (request, reply) => {
      const { filter, settings, dashboard, rows, label } = await load(request, 'dashboard.read');
      const lang = request.lang;
      const t = (key: Key, params?: Record<string, string | number>) => dbText(lang, key, params);
      const qs = new URLSearchParams({
        ...(filter.team ? { team: filter.team } : {}),
        period: periodKey(filter.period),
        ...(filter.modality ? { modality: filter.modality } : {}),
        instrument: filter.instrumentId,
      }).toString();
      const select = (id: string, label: string, options: Array<[string, string]>, current: string) =>
        html`<div>
          <label for="${id}">${label}</label>
          <select id="${id}" name="${id}">
            ${options.map(([v, l]) => html`<option value="${v}" ${v === current ? html`selected` : null}>${l}</option>`)}
          </select>
        </div>`;
      const classes = classesChart(lang, dashboard);
      const trend = trendChart(lang, dashboard);
      const sections = [...new Set(rows.map((r) => r.section))];
      const body = html`<h1>${t('title')}</h1>
        <p>${t('intro', { therapists: settings.minima.therapists, episodes: settings.minima.episodes })}</p>
        <p class="muted">
          ${dashboard.refreshedAt ? t('refreshed', { date: new Date(dashboard.refreshedAt).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'Europe/Amsterdam' }) }) : t('notRefreshed')}
        </p>
        <form method="get" action="/app/dashboards" class="card filters no-print" data-testid="dashboard-filter">
          ${select('team', t('filter.team'), [['', t('filter.allTeams')], ...dashboard.teams.map((x): [string, string] => [x.id, x.name])], filter.team ?? '')}
          ${select(
            'period',
            t('filter.period'),
            dashboard.periods.map((p): [string, string] => [p, p === 'all' ? t('filter.all') : p]),
            periodKey(filter.period),
          )}
          ${select('modality', t('filter.modality'), [['', t('filter.allModalities')], ...MODALITIES.map((m): [string, string] => [m, t(`modality.${m}` as Key)])], filter.modality ?? '')}
          ${select(
            'instrument',
            t('filter.instrument'),
            instruments().map((i): [string, string] => [i.instrumentId, i.title]),
            filter.instrumentId,
          )}
          <p><button type="submit">${t('filter.apply')}</button></p>
        </form>
        <p class="no-print">
          <a href="/app/dashboards.csv?${qs}" download data-testid="download-csv">${t('download.csv')}</a> ·
          <a href="/app/dashboards.pdf?${qs}" download data-testid="download-pdf">${t('download.pdf')}</a>
        </p>
        <p class="muted" data-testid="dashboard-filter-label">${label}</p>
        ${
          classes
            ? html`<section class="card chart">
                <h2>${t('chart.classes')}</h2>
                ${raw(classes)}
              </section>`
            : null
        }
        ${
          trend
            ? html`<section class="card chart">
                <h2>${t('chart.trend')}</h2>
                ${raw(trend)}
              </section>`
            : null
        }
        ${sections.map(
          (section) =>
            html`<section class="card">
              <table class="figures">
                <caption>
                  ${section}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('group')}</th>
                    <th scope="col">${t('figure')}</th>
                    <th scope="col">${t('value')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows
                    .filter((r) => r.section === section)
                    .map(
                      (r) =>
                        html`<tr ${r.suppressed ? html`data-suppressed="true"` : null}>
                          <td>${r.group}</td>
                          <td>${r.figure}</td>
                          <td>${r.suppressed ? html`<span class="suppressed">${r.suppressed}</span>` : r.value}</td>
                        </tr>`,
                    )}
                </tbody>
              </table>
            </section>`,
        )}
        <p class="muted">${t('outcome.method')}</p>
        <p class="muted">${t('noRanking')}</p>`;
      return sendPage(request, reply, { title: t('title'), body, path: '/app/dashboards' });
    },
  );

  app.get(
    '/app/dashboards.csv',
    { config: MANAGER, schema: { hide: true, querystring: QUERY } },
    async (request, reply) => {
      const { rows, label } = await load(request, 'dashboard.export.csv');
      const t = (key: Key) => dbText(request.lang, key);
      const lines = [[t('section'), t('group'), t('figure'), t('value')].map(csvField).join(',')];
      lines.push([csvField(label), '', '', ''].join(','));
      for (const r of rows) lines.push([r.section, r.group, r.figure, r.value ?? r.suppressed].map(csvField).join(','));
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="spiegel-dashboard.csv"')
        .send('\ufeff' + lines.join('\r\n') + '\r\n');
    },
  );

  app.get(
    '/app/dashboards.pdf',
    { config: MANAGER, schema: { hide: true, querystring: QUERY } },
    async (request, reply) => {
      const { dashboard, rows, label } = await load(request, 'dashboard.export.pdf');
      const lang = request.lang;
      const t = (key: Key, params?: Record<string, string | number>) => dbText(lang, key, params);
      const content: Content[] = [
        { text: t('title'), style: 'h1' },
        { text: t('pdf.made', { date: new Date().toISOString().slice(0, 10), filter: label }), style: 'muted' },
      ];
      const classes = classesChart(lang, dashboard);
      if (classes) content.push({ text: t('chart.classes'), style: 'h2' }, { svg: classes, width: 480 });
      const trend = trendChart(lang, dashboard);
      if (trend) content.push({ text: t('chart.trend'), style: 'h2' }, { svg: trend, width: 500 });
      for (const section of [...new Set(rows.map((r) => r.section))]) {
        content.push({ text: section, style: 'h2' });
        content.push({
          table: {
            headerRows: 1,
            widths: ['auto', '*', '*'],
            body: [
              [t('group'), t('figure'), t('value')].map((h) => ({ text: h, bold: true })),
              ...rows
                .filter((r) => r.section === section)
                .map((r) => [r.group, r.figure, r.value ?? { text: r.suppressed ?? '', italics: true }]),
            ],
          },
          fontSize: 8,
        });
      }
      content.push(
        { text: t('outcome.method'), style: 'muted', margin: [0, 8, 0, 0] },
        { text: t('noRanking'), style: 'muted' },
      );
      const pdf = await renderPdf({ content, info: { title: t('title') } });
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="spiegel-dashboard.pdf"')
        .send(pdf);
    },
  );

  app.get(
    '/app/dashboards/mine',
    {
      config: { access: { kind: 'staff', roles: ['therapist'] } },
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: { period: { type: 'string', maxLength: 7 }, lang: { type: 'string' } },
        },
      },
    },
    async (request, reply) => {
      const staff = request.staff!;
      const lang = request.lang;
      const t = (key: Key, params?: Record<string, string | number>) => dbText(lang, key, params);
      const period = parsePeriod((request.query as { period?: string }).period || 'all') ?? ALL;
      const settings = dashboardSettings(await readOrgSettings(db(), staff.orgId));
      const info = instruments().find((i) => i.instrumentId === 'phq9') ?? instruments()[0];
      const view = await ownOutcomes(
        db(),
        { orgId: staff.orgId, userId: staff.userId, roles: staff.roles, ip: request.ip },
        info.instrumentId,
        period,
        settings,
        info.bands.map((b) => b.code),
      );
      const org = view.organisation;
      const line = (name: string, mine: string, theirs: string) =>
        html`<tr>
          <th scope="row">${name}</th>
          <td>${mine}</td>
          <td>${theirs}</td>
        </tr>`;
      const orgValue = (f: (v: NonNullable<typeof view.own>) => string) =>
        org.shown ? f(org.value) : suppressedText(lang, org.reason, settings.minima);
      const classes = ['recovered', 'improved', 'unchanged', 'deteriorated'] as const;
      const body = html`<h1>${t('own.title')}</h1>
        <p class="notice">${t('own.private')}</p>
        <form method="get" action="/app/dashboards/mine" class="card filters">
          <label for="period">${t('filter.period')}</label>
          <select id="period" name="period">
            ${view.periods.map((p) => html`<option value="${p}" ${p === periodKey(period) ? html`selected` : null}>${p === 'all' ? t('filter.all') : p}</option>`)}
          </select>
          <p><button type="submit">${t('filter.apply')}</button></p>
        </form>
        <section class="card">
          <table class="figures" data-testid="own-outcomes">
            <caption>
              ${info.title}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t('figure')}</th>
                <th scope="col">${t('own.mine')}</th>
                <th scope="col">${t('own.org')}</th>
              </tr>
            </thead>
            <tbody>
              ${line(
                t('outcome.ended'),
                String(view.own.ended),
                orgValue((f) => String(f.ended)),
              )}
              ${line(
                t('outcome.dropout'),
                pct(lang, view.own.dropoutShare),
                orgValue((f) => pct(lang, f.dropoutShare)),
              )}
              ${classes.map((c) =>
                line(
                  t(`class.${c}`),
                  pct(lang, view.own.classes[c].share),
                  orgValue((f) => pct(lang, f.classes[c].share)),
                ),
              )}
              ${line(
                t('outcome.onTrack'),
                pct(lang, view.own.onTrackShare),
                orgValue((f) => pct(lang, f.onTrackShare)),
              )}
              ${line(
                t('outcome.effect'),
                view.own.effect
                  ? `${formatDecimal(view.own.effect.dz, lang, 2)} (${formatDecimal(view.own.effect.ci[0], lang, 2)} – ${formatDecimal(view.own.effect.ci[1], lang, 2)})`
                  : '–',
                orgValue((f) =>
                  f.effect
                    ? `${formatDecimal(f.effect.dz, lang, 2)} (${formatDecimal(f.effect.ci[0], lang, 2)} – ${formatDecimal(f.effect.ci[1], lang, 2)})`
                    : '–',
                ),
              )}
            </tbody>
          </table>
          ${view.own.ended < 10 ? html`<p class="muted">${t('own.few')}</p>` : null}
        </section>
        <p class="muted">${t('outcome.method')}</p>`;
      return sendPage(request, reply, { title: t('own.title'), body, path: '/app/dashboards/mine' });
    },
  );
}
