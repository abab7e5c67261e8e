import type { FastifyInstance } from 'fastify';
import { errorNotice } from '../../web/error-texts.ts';
import { html } from '../../web/html.ts';
import { defineTexts } from '../../web/i18n.ts';
import { researchText } from '../../web/research/texts.ts';
import { sendPage } from '../pages.ts';
import { apaT, cohenDWithCi, formatNumber, normComparison } from '../../domain/stats/index.ts';
import { isSpiegelError } from '../../domain/errors.ts';

const text = defineTexts({
  title: { nl: 'Onderzoek: groep tegenover een norm', en: 'Research: a group against a norm' },
  intro: {
    nl: 'Vergelijk een groep met een gepubliceerde norm op basis van samenvattende statistieken (Welch-t-toets, d uit t = 2t/√df zoals veel artikelen rapporteren, en Cohens d met exact 95%-interval). Voorbeeld: therapeuten tegenover de Nederlandse bevolking op huilgeneigdheid (’t Lam & Vingerhoets).',
    en: 'Compare a group with a published norm from summary statistics (Welch t-test, d from t = 2t/√df as many papers report, and Cohen’s d with an exact 95% interval). Example: therapists against the Dutch population on crying proneness (’t Lam & Vingerhoets).',
  },
  group: { nl: 'Groep', en: 'Group' },
  norm: { nl: 'Norm', en: 'Norm' },
  mean: { nl: 'Gemiddelde', en: 'Mean' },
  sd: { nl: 'Standaarddeviatie', en: 'Standard deviation' },
  n: { nl: 'Aantal (n)', en: 'Number (n)' },
  compute: { nl: 'Berekenen', en: 'Compute' },
  result: { nl: 'Resultaat', en: 'Result' },
  apa: { nl: 'APA-notatie (Welch, d uit t)', en: 'APA style (Welch, d from t)' },
  pooled: {
    nl: 'Cohens d (gepoolde SD) {d}, 95%-BI {lo} tot {hi}; Hedges’ g {g}',
    en: 'Cohen’s d (pooled SD) {d}, 95% CI {lo} to {hi}; Hedges’ g {g}',
  },
  position: {
    nl: 'Het groepsgemiddelde ligt op z = {z} (percentiel {p}) van de norm.',
    en: 'The group mean lies at z = {z} (percentile {p}) of the norm.',
  },
  method: {
    nl: 'Alle waarden zijn gecontroleerd tegen R; de methoden en bronnen staan in de handleiding voor statistiek.',
    en: 'All values are checked against R; the methods and sources are in the statistics guide.',
  },
});

type Query = Partial<Record<'gm' | 'gsd' | 'gn' | 'nm' | 'nsd' | 'nn', string>>;
const DEFAULTS: Required<Query> = { gm: '5.30', gsd: '2.18', gn: '819', nm: '2.55', nsd: '1.86', nn: '1891' };

/** A small, exact statistics tool for researchers (no client data involved). */
export function registerResearchRoutes(app: FastifyInstance): void {
  const field = { type: 'string', maxLength: 20 } as const;
  app.get<{ Querystring: Query }>(
    '/app/research',
    {
      config: { access: { kind: 'staff', roles: ['researcher'] } },
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: { gm: field, gsd: field, gn: field, nm: field, nsd: field, nn: field, lang: field },
        },
      },
    },
    async (request, reply) => {
      const lang = request.lang;
      const q = { ...DEFAULTS, ...request.query };
      const num = (v: string) => Number(v.replace(',', '.'));
      let result = html``;
      try {
        const group = { mean: num(q.gm), sd: num(q.gsd), n: num(q.gn) };
        const norm = { mean: num(q.nm), sd: num(q.nsd), n: num(q.nn) };
        const c = normComparison(group, norm);
        const ci = cohenDWithCi(group, norm);
        result = html`<section class="card" aria-labelledby="res-h" data-testid="research-result">
          <h2 id="res-h">${text(lang, 'result')}</h2>
          <p>
            <strong>${text(lang, 'apa')}:</strong>
            ${apaT({ t: c.welch.t, df: c.welch.df, p: c.welch.p, d: c.dFromT }, lang)}
          </p>
          <p>
            ${text(lang, 'pooled', { d: formatNumber(ci.d, 2, lang), lo: formatNumber(ci.ci[0], 2, lang), hi: formatNumber(ci.ci[1], 2, lang), g: formatNumber(ci.g, 2, lang) })}
          </p>
          <p>
            ${text(lang, 'position', { z: formatNumber(c.zOfGroupMean, 2, lang), p: formatNumber(c.percentileOfGroupMean, 1, lang) })}
          </p>
          <p class="muted">${text(lang, 'method')}</p>
        </section>`;
      } catch (error) {
        if (!isSpiegelError(error)) throw error;
        result = errorNotice(lang, error);
      }
      const input = (name: keyof Query, label: string) =>
        html`<label for="${name}">${label}</label
          ><input id="${name}" name="${name}" type="text" inputmode="decimal" value="${q[name]}" />`;
      const body = html`<h1>${text(lang, 'title')}</h1>
        <p><a href="/app/research/studies">${researchText(lang, 'studies.title')}</a></p>
        <p>${text(lang, 'intro')}</p>
        <form method="get" action="/app/research" class="card filters">
          <fieldset>
            <legend>${text(lang, 'group')}</legend>
            ${input('gm', text(lang, 'mean'))}${input('gsd', text(lang, 'sd'))}${input('gn', text(lang, 'n'))}
          </fieldset>
          <fieldset>
            <legend>${text(lang, 'norm')}</legend>
            ${input('nm', text(lang, 'mean'))}${input('nsd', text(lang, 'sd'))}${input('nn', text(lang, 'n'))}
          </fieldset>
          <p><button type="submit">${text(lang, 'compute')}</button></p>
        </form>
        ${result}`;
      return sendPage(request, reply, { title: text(lang, 'title'), body, path: '/app/research' });
    },
  );
}
