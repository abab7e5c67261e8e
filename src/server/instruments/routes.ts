import type { FastifyInstance } from 'fastify';
import { html } from '../../web/html.ts';
import { defineTexts } from '../../web/i18n.ts';
import { sendPage } from '../pages.ts';
import { instrumentCatalogue, setInstrumentEnabled } from '../../store/org-instruments-admin.ts';

const text = defineTexts({
  title: { nl: 'Instrumenten', en: 'Instruments' },
  intro: { nl: 'Vragenlijsten die deze organisatie kan gebruiken. Instrumenten met een beperkte licentie staan uit tot een beheerder de licentie bevestigt.', en: 'Questionnaires this organisation can use. Instruments with a restricted licence stay off until an administrator acknowledges the licence.' },
  instrument: { nl: 'Instrument', en: 'Instrument' },
  licence: { nl: 'Licentie', en: 'Licence' },
  status: { nl: 'Status', en: 'Status' },
  on: { nl: 'Aan', en: 'On' },
  off: { nl: 'Uit', en: 'Off' },
  enable: { nl: 'Aanzetten', en: 'Enable' },
  disable: { nl: 'Uitzetten', en: 'Disable' },
  acknowledge: { nl: 'Ik bevestig dat onze organisatie deze licentievoorwaarden naleeft: {licence}.', en: 'I confirm that our organisation complies with these licence terms: {licence}.' },
  notValidated: { nl: 'Door Spiegel opgesteld: geen gevalideerd instrument.', en: 'Written by the Spiegel project: not a validated instrument.' },
  'restriction.non-commercial-only': { nl: 'alleen niet-commercieel', en: 'non-commercial only' },
  'restriction.no-modification': { nl: 'geen wijzigingen of eigen vertalingen', en: 'no changes or own translations' },
  'restriction.acknowledgement-required': { nl: 'bevestiging nodig', en: 'acknowledgement required' },
  'restriction.copyright-on-form': { nl: 'copyrightregel op het formulier', en: 'copyright line on the form' },
  'restriction.not-redistributable': { nl: 'niet herverspreiden', en: 'not redistributable' },
});

/** Admin: enable instruments per organisation, acknowledging restricted licences first. */
export function registerInstrumentAdmin(app: FastifyInstance): void {
  const { db } = app.ctx.store;
  const access = { access: { kind: 'staff' as const, roles: ['admin' as const] } };

  app.get('/app/admin/instruments', { config: access, schema: { hide: true } }, async (request, reply) => {
    const lang = request.lang;
    const rows = await instrumentCatalogue(db, app.ctx.instruments, request.staff!.orgId);
    const csrf = reply.generateCsrf();
    const body = html`<h1>${text(lang, 'title')}</h1><p>${text(lang, 'intro')}</p>
<table data-testid="instrument-catalogue"><thead><tr><th scope="col">${text(lang, 'instrument')}</th><th scope="col">${text(lang, 'licence')}</th><th scope="col">${text(lang, 'status')}</th></tr></thead><tbody>
${rows.map(({ entry, enabled }) => html`<tr data-instrument="${entry.id}">
  <td><strong>${entry.title[lang].text}</strong>${entry.projectAuthored ? html`<br><span class="muted">${text(lang, 'notValidated')}</span>` : null}${entry.copyright ? html`<br><span class="muted">${entry.copyright}</span>` : null}</td>
  <td>${entry.licence?.licence ?? '–'}${entry.restrictions.length ? html`<br><span class="muted">${entry.restrictions.map((r) => text(lang, `restriction.${r}`)).join('; ')}</span>` : null}</td>
  <td>${enabled ? text(lang, 'on') : text(lang, 'off')}
    <form method="post" action="/app/admin/instruments/${entry.id}">
      <input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="enabled" value="${enabled ? 'false' : 'true'}">
      ${!enabled && entry.licence?.requiresAcknowledgement ? html`<label class="check"><input type="checkbox" name="acknowledge" value="true" required> ${text(lang, 'acknowledge', { licence: entry.licence.licence })}</label>` : null}
      <button type="submit" class="secondary">${enabled ? text(lang, 'disable') : text(lang, 'enable')}</button>
    </form></td>
</tr>`)}
</tbody></table>`;
    return sendPage(request, reply, { title: text(lang, 'title'), body, path: '/app/admin/instruments' });
  });

  app.post<{ Params: { instrumentId: string }; Body: { enabled: 'true' | 'false'; acknowledge?: 'true' } }>('/app/admin/instruments/:instrumentId', {
    config: access,
    preValidation: app.csrfProtection,
    schema: { hide: true, params: { type: 'object', properties: { instrumentId: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,80}$' } } }, body: { type: 'object', required: ['enabled'], properties: { enabled: { type: 'string', enum: ['true', 'false'] }, acknowledge: { type: 'string', enum: ['true'] }, _csrf: { type: 'string' } } } },
  }, async (request, reply) => {
    await setInstrumentEnabled(db, app.ctx.instruments, { staff: request.staff!, ip: request.ip }, request.params.instrumentId, request.body.enabled === 'true', request.body.acknowledge === 'true');
    return reply.redirect('/app/admin/instruments', 303);
  });
}
