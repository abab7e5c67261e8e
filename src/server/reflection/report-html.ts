import { formatDecimal } from '../../domain/format.ts';
import { formatAnswer, formatDate, formatSigned } from '../../domain/reflection/format.ts';
import type { ReportModel } from '../../domain/reflection/report.ts';
import {
  BRS_BANDS,
  BRS_LIMITS,
  BRS_SOURCE,
  LIFE_EVENTS,
  MAINTENANCE_ITEMS,
} from '../../domain/reflection/resilience.ts';
import { NISSEN_LIE_NOTE, WALFISH_NOTE } from '../../domain/reflection/self-view.ts';
import { MOTIVATION_SOURCE } from '../../domain/reflection/motivation.ts';
import type { ScaleComparison } from '../../domain/reflection/norms.ts';
import type { ItemLine } from '../../domain/reflection/report.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { rt } from './texts.ts';

/** The self-check report as HTML (the PDF renders the same model in report-pdf.ts). */

/** A report number: two decimals by default, a dash when there is none. The PDF uses it too. */
export const reportNumber = (value: number | null, lang: Lang, decimals = 2) =>
  value === null ? '—' : formatDecimal(value, lang, decimals);
const num = reportNumber;

type Key = Parameters<typeof rt>[1];
const texts = (lang: Lang, keys: Key[]) => keys.map((key) => rt(lang, key));

/** The column headings of the report's tables, one list for the HTML and the PDF. */
export const reportColumns = {
  norms: (lang: Lang) => texts(lang, ['report.group', 'report.mean', 'report.z', 'report.percentile']),
  answers: (lang: Lang, withPrevious: boolean) =>
    texts(lang, [
      'report.question',
      'report.yourAnswer',
      ...(withPrevious ? ['report.previous' as const] : []),
      'report.study',
    ]),
  themes: (lang: Lang) =>
    texts(lang, ['report.theme', 'report.then', 'report.now', 'report.sinceStart', 'report.sincePrevious']),
  maintenance: (lang: Lang, withPrevious: boolean) =>
    texts(lang, ['report.kind', 'report.now', ...(withPrevious ? ['report.previous' as const] : [])]),
};

const headRow = (cells: string[]) => html`<tr>
  ${cells.map((cell) => html`<th scope="col">${cell}</th>`)}
</tr>`;

function normTable(c: ScaleComparison, lang: Lang, previous: number | null, index: number): SafeHtml {
  return html`<div class="norm" data-testid="norm-${c.scale.id}">
    <table>
      <caption>
        ${c.scale.label[lang]} — ${rt(lang, 'report.score')}:
        <strong>${num(c.score, lang)}</strong
        >${previous !== null ? html` (${rt(lang, 'report.previous').toLowerCase()}: ${num(previous, lang)})` : null}
      </caption>
      <thead>
        ${headRow(reportColumns.norms(lang))}
      </thead>
      <tbody>
        ${c.results.map(
          (r) =>
            html`<tr>
              <th scope="row">${r.group.label[lang]}</th>
              <td>${num(r.group.mean, lang)} (${num(r.group.sd, lang)})</td>
              <td>${formatSigned(r.z, lang, 2)}</td>
              <td>${formatDecimal(r.percentile, lang, 0)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${c.note ? html`<p class="muted">${c.note[lang]}</p>` : null}
    <p class="muted">${rt(lang, 'report.howComputed')}</p>
    <p class="source"><strong>${rt(lang, 'source')}:</strong> ${c.scale.source[lang]}</p>
    <p class="limits" id="limits-${index}"><strong>${rt(lang, 'report.limits')}:</strong> ${c.scale.limits[lang]}</p>
  </div>`;
}

export function studyText(line: ItemLine, lang: Lang): string {
  if (line.referenceMean !== null) return rt(lang, 'report.studyMean', { mean: line.referenceMean });
  const ref = line.reference;
  if (!ref) return rt(lang, line.normed ? 'report.seeNorms' : 'report.noReference');
  const parts: string[] = [];
  if (ref.total)
    parts.push(rt(lang, 'report.studyPct', { pct: formatDecimal(ref.total.pct, lang, 1), counts: ref.counts[lang] }));
  if (ref.men && ref.women)
    parts.push(
      rt(lang, 'report.studyByGender', {
        men: formatDecimal(ref.men.pct, lang, 1),
        women: formatDecimal(ref.women.pct, lang, 1),
      }),
    );
  return `${parts.join('; ')} — ${ref.group[lang]} (${ref.table})`;
}

function emotions(model: ReportModel, lang: Lang): SafeHtml {
  const e = model.emotions;
  const answered = e.lines.filter((l) => l.answer !== undefined || l.previous !== undefined);
  return html`<section class="card" aria-labelledby="r-emotions">
    <h2 id="r-emotions">${lang === 'nl' ? 'Emoties in de therapie' : 'Emotions in therapy'}</h2>
    <p class="muted">${rt(lang, 'studyItems')}</p>
    <h3>${rt(lang, 'report.norms')}</h3>
    ${e.comparisons.length ? e.comparisons.map((c, i) => normTable(c, lang, e.changes[i]?.previous ?? null, i)) : html`<p>${rt(lang, 'report.normsNone')}</p>`}
    ${
      answered.length
        ? html`<h3>${rt(lang, 'report.answers')}</h3>
            <table class="answers">
              <thead>
                ${headRow(reportColumns.answers(lang, model.previousCompletedAt !== null))}
              </thead>
              <tbody>
                ${answered.map(
                  (l) =>
                    html`<tr>
                      <th scope="row">${l.item.text[lang]}</th>
                      <td>${formatAnswer(l.item, l.answer, lang)}</td>
                      ${model.previousCompletedAt ? html`<td>${formatAnswer(l.item, l.previous, lang)}</td>` : null}
                      <td>${studyText(l, lang)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : null
    }
  </section>`;
}

function motivation(model: ReportModel, lang: Lang): SafeHtml {
  const m = model.motivation;
  const rows = m.shifts.filter((s) => s.then !== null || s.now !== null || s.previousNow !== null);
  const signed = (v: number | null) => (v === null ? '—' : formatSigned(v, lang, 0));
  return html`<section class="card" aria-labelledby="r-motivation">
    <h2 id="r-motivation">${lang === 'nl' ? 'Motivatie' : 'Motivation'}</h2>
    <p class="muted">${rt(lang, 'projectAuthored')} ${rt(lang, 'report.motivationNote')}</p>
    ${
      rows.length
        ? html`<table>
            <thead>
              ${headRow(reportColumns.themes(lang))}
            </thead>
            <tbody>
              ${rows.map(
                (s) =>
                  html`<tr>
                    <th scope="row">
                      ${s.theme.code}.
                      <span lang="nl">${s.theme.name.nl}</span
                      >${lang === 'en' ? html` (${s.theme.name.en})` : null}${m.notes[s.theme.code] ? html`<br /><span class="muted">${m.notes[s.theme.code]}</span>` : null}
                    </th>
                    <td>${s.then ?? '—'}</td>
                    <td>${s.now ?? '—'}</td>
                    <td>${signed(s.sinceStart)}</td>
                    <td>${signed(s.sincePrevious)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : null
    }
    ${
      model.previousCompletedAt
        ? html`<h3>${rt(lang, 'report.notable')}</h3>
            ${
              m.notable.length
                ? html`<ul>
                    ${m.notable.map((s) => html`<li>${s.theme.code}. ${s.theme.name[lang]}: ${s.previousNow} → ${s.now} (${signed(s.sincePrevious)})</li>`)}
                  </ul>`
                : html`<p>${rt(lang, 'report.noNotable')}</p>`
            }`
        : null
    }
    ${
      m.spark
        ? html`<h3>${rt(lang, 'report.spark')}</h3>
            <p class="prewrap">${m.spark}</p>`
        : null
    }
    <p class="source">
      <strong>${rt(lang, 'source')}:</strong>
      ${MOTIVATION_SOURCE[lang]}${lang === 'en' ? ' English theme names translated by Spiegel.' : ''}
    </p>
  </section>`;
}

function resilience(model: ReportModel, lang: Lang): SafeHtml {
  const r = model.resilience;
  const hoursItems = MAINTENANCE_ITEMS.filter((i) => i.id.startsWith('maintenance.'));
  const events = r.maintenance.events.map((code) => LIFE_EVENTS.find((e) => e.code === code)?.label[lang] ?? code);
  return html`<section class="card" aria-labelledby="r-resilience">
    <h2 id="r-resilience">${lang === 'nl' ? 'Veerkracht en onderhoud' : 'Resilience and maintenance'}</h2>
    <h3>${rt(lang, 'report.brs')}</h3>
    ${
      !r.brsInstalled
        ? html`<p>${rt(lang, 'report.brsNotInstalled')}</p>`
        : r.brs
          ? html`<p data-testid="brs-score">
                ${rt(lang, 'report.brsScore', { score: num(r.brs.score, lang), band: BRS_BANDS[r.brs.band][lang] })}${r.brsPrevious !== null ? html` ${rt(lang, 'report.brsPrevious', { score: num(r.brsPrevious, lang) })}` : null}
              </p>
              <p class="source"><strong>${rt(lang, 'source')}:</strong> ${BRS_SOURCE[lang]}</p>
              <p class="limits"><strong>${rt(lang, 'report.limits')}:</strong> ${BRS_LIMITS[lang]}</p>`
          : html`<p>${rt(lang, 'report.brsMissing')}</p>`
    }
    <h3>${rt(lang, 'report.workload')}</h3>
    <p>
      ${r.maintenance.workload !== null ? `${r.maintenance.workload}/10` : '—'}${r.maintenancePrevious?.workload != null ? ` (${rt(lang, 'report.previous').toLowerCase()}: ${r.maintenancePrevious.workload}/10)` : ''}
    </p>
    ${events.length ? html`<p><strong>${rt(lang, 'report.events')}:</strong> ${events.join('; ')}</p>` : null}
    <h3>${rt(lang, 'report.maintenance')}</h3>
    <table>
      <thead>
        ${headRow(reportColumns.maintenance(lang, r.maintenancePrevious !== null))}
      </thead>
      <tbody>
        ${hoursItems.map((item) => {
          const key = item.id as keyof typeof r.maintenance.hours;
          return html`<tr>
            <th scope="row">${item.text[lang]}</th>
            <td>${r.maintenance.hours[key] ?? '—'}</td>
            ${r.maintenancePrevious ? html`<td>${r.maintenancePrevious.hours[key] ?? '—'}</td>` : null}
          </tr>`;
        })}
      </tbody>
    </table>
    ${r.loggedPracticeMinutes !== null ? html`<p>${rt(lang, model.previousCompletedAt ? 'report.logged' : 'report.loggedTotal', { minutes: r.loggedPracticeMinutes })}</p>` : null}
    <p class="muted">${rt(lang, 'projectAuthored')}</p>
  </section>`;
}

function selfView(model: ReportModel, lang: Lang): SafeHtml {
  const s = model.selfView;
  const c = s.comparison;
  let measured: SafeHtml;
  if (c.status === 'available') {
    const value =
      c.measured.percentile !== null
        ? `${formatDecimal(c.measured.percentile, lang, 0)}${lang === 'nl' ? 'e percentiel' : 'th percentile'}`
        : c.measured.estimate
          ? `${formatDecimal(c.measured.estimate.value, lang, 2)} (${formatDecimal(c.measured.estimate.lower, lang, 2)} – ${formatDecimal(c.measured.estimate.upper, lang, 2)}) ${c.measured.estimate.unit[lang]}`
          : '—';
    measured = html`<p data-testid="measured-available">${rt(lang, 'report.measured', { value })}</p>
      <p class="muted">${c.measured.method[lang]}</p>`;
  } else measured = html`<p data-testid="measured-na">${rt(lang, 'report.measuredNotAvailable')}</p>`;
  return html`<section class="card" aria-labelledby="r-selfview">
    <h2 id="r-selfview">${lang === 'nl' ? 'Professioneel zelfbeeld' : 'Professional self-view'}</h2>
    <p>
      ${c.status === 'no-self-rating' ? rt(lang, 'report.noSelfRating') : rt(lang, 'report.selfRating', { p: c.selfPercentile })}${s.previousPercentile !== null ? ` ${rt(lang, 'report.selfRatingPrevious', { p: s.previousPercentile })}` : ''}
    </p>
    ${measured}
    <p class="notice">${WALFISH_NOTE[lang]}</p>
    <p class="muted">${NISSEN_LIE_NOTE[lang]}</p>
    ${
      s.reflections.length
        ? html`<h3>${rt(lang, 'report.reflections')}</h3>
            <dl>
              ${s.reflections.map(
                (r) =>
                  html`<dt>${r.item.text[lang]}</dt>
                    <dd class="prewrap">${r.answer}</dd>`,
              )}
            </dl>`
        : null
    }
  </section>`;
}

export function reportHtml(model: ReportModel, lang: Lang, pdfHref: string | null): SafeHtml {
  const date = formatDate(model.completedAt ?? model.startedAt, lang);
  return html`<h1>${rt(lang, 'report.title', { date })}</h1>
    <p class="muted">${rt(lang, 'report.private')}</p>
    ${pdfHref ? html`<p><a class="button" href="${pdfHref}" download data-testid="report-pdf">${rt(lang, 'report.pdf')}</a></p>` : null}
    <p>
      ${model.previousCompletedAt ? rt(lang, 'report.sinceLast', { date: formatDate(model.previousCompletedAt, lang) }) : rt(lang, 'report.first')}
    </p>
    <section class="card" aria-labelledby="r-intentions">
      <h2 id="r-intentions">${rt(lang, 'report.intentions')}</h2>
      ${
        model.intentions.length
          ? html`<ol class="intentions">
              ${model.intentions.map((i) => html`<li>${i}</li>`)}
            </ol>`
          : html`<p>${rt(lang, 'report.noIntentions')}</p>`
      }
      ${
        model.previousIntentions.length && model.previousCompletedAt
          ? html`<h3>
                ${rt(lang, 'report.previousIntentions', { date: formatDate(model.previousCompletedAt, lang) })}
              </h3>
              <ol>
                ${model.previousIntentions.map((i) => html`<li>${i}</li>`)}
              </ol>`
          : null
      }
    </section>
    ${emotions(model, lang)} ${motivation(model, lang)} ${resilience(model, lang)} ${selfView(model, lang)}
    <section class="card" aria-labelledby="r-sources">
      <h2 id="r-sources">${rt(lang, 'sources')}</h2>
      <ul>
        ${model.sources.map((s) => html`<li>${s[lang]}</li>`)}
      </ul>
    </section>`;
}
