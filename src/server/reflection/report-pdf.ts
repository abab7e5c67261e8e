import { formatDecimal } from '../../domain/format.ts';
import { renderPdf } from '../../web/pdf.ts';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { formatAnswer, formatDate, formatSigned } from '../../domain/reflection/format.ts';
import { MOTIVATION_SOURCE } from '../../domain/reflection/motivation.ts';
import type { ReportModel } from '../../domain/reflection/report.ts';
import { BRS_BANDS, BRS_LIMITS, BRS_SOURCE, MAINTENANCE_ITEMS } from '../../domain/reflection/resilience.ts';
import { NISSEN_LIE_NOTE, WALFISH_NOTE } from '../../domain/reflection/self-view.ts';
import type { Lang } from '../../web/i18n.ts';
import { reportColumns, reportNumber, studyText } from './report-html.ts';
import { rt } from './texts.ts';

/** The self-check report as a PDF (rendered by src/web/pdf.ts: bundled fonts, no network). */

const num = reportNumber;

function table(header: string[], rows: string[][], widths?: Array<string | number>): Content {
  return {
    table: {
      headerRows: 1,
      widths: widths ?? header.map(() => '*'),
      body: [header.map((h) => ({ text: h, bold: true })), ...rows],
    },
    layout: 'lightHorizontalLines',
    margin: [0, 4, 0, 8],
    fontSize: 9,
  };
}

function definition(model: ReportModel, lang: Lang, ownerName: string): TDocumentDefinitions {
  const date = formatDate(model.completedAt ?? model.startedAt, lang);
  const content: Content[] = [
    { text: rt(lang, 'report.title', { date }), style: 'h1' },
    { text: `${ownerName} · ${rt(lang, 'report.private')}`, style: 'muted' },
    {
      text: model.previousCompletedAt
        ? rt(lang, 'report.sinceLast', { date: formatDate(model.previousCompletedAt, lang) })
        : rt(lang, 'report.first'),
      margin: [0, 6, 0, 6],
    },
    { text: rt(lang, 'report.intentions'), style: 'h2' },
    model.intentions.length ? { ol: model.intentions } : { text: rt(lang, 'report.noIntentions') },
  ];
  if (model.previousIntentions.length && model.previousCompletedAt) {
    content.push(
      {
        text: rt(lang, 'report.previousIntentions', { date: formatDate(model.previousCompletedAt, lang) }),
        style: 'h3',
      },
      { ol: model.previousIntentions },
    );
  }

  const e = model.emotions;
  content.push(
    { text: lang === 'nl' ? 'Emoties in de therapie' : 'Emotions in therapy', style: 'h2' },
    { text: rt(lang, 'studyItems'), style: 'muted' },
    { text: rt(lang, 'report.norms'), style: 'h3' },
  );
  if (e.comparisons.length === 0) content.push({ text: rt(lang, 'report.normsNone') });
  e.comparisons.forEach((c, i) => {
    const previous = e.changes[i]?.previous ?? null;
    content.push(
      {
        text: `${c.scale.label[lang]} — ${rt(lang, 'report.score')}: ${num(c.score, lang)}${previous !== null ? ` (${rt(lang, 'report.previous').toLowerCase()}: ${num(previous, lang)})` : ''}`,
        bold: true,
        margin: [0, 4, 0, 0],
      },
      table(
        reportColumns.norms(lang),
        c.results.map((r) => [
          r.group.label[lang],
          `${num(r.group.mean, lang)} (${num(r.group.sd, lang)})`,
          formatSigned(r.z, lang, 2),
          formatDecimal(r.percentile, lang, 0),
        ]),
        ['*', 70, 50, 80],
      ),
      ...(c.note ? [{ text: c.note[lang], style: 'muted' } as Content] : []),
      { text: rt(lang, 'report.howComputed'), style: 'muted' },
      { text: `${rt(lang, 'source')}: ${c.scale.source[lang]}`, style: 'muted' },
      { text: `${rt(lang, 'report.limits')}: ${c.scale.limits[lang]}`, style: 'muted', margin: [0, 0, 0, 6] },
    );
  });
  const lines = e.lines.filter((l) => l.answer !== undefined);
  if (lines.length) {
    content.push(
      { text: rt(lang, 'report.answers'), style: 'h3' },
      table(
        reportColumns.answers(lang, false),
        lines.map((l) => [l.item.text[lang], formatAnswer(l.item, l.answer, lang), studyText(l, lang)]),
        ['*', 80, '*'],
      ),
    );
  }

  const m = model.motivation;
  const shifts = m.shifts.filter((s) => s.then !== null || s.now !== null);
  content.push(
    { text: lang === 'nl' ? 'Motivatie' : 'Motivation', style: 'h2' },
    { text: `${rt(lang, 'projectAuthored')} ${rt(lang, 'report.motivationNote')}`, style: 'muted' },
  );
  if (shifts.length) {
    const signed = (v: number | null) => (v === null ? '—' : formatSigned(v, lang, 0));
    content.push(
      table(
        reportColumns.themes(lang),
        shifts.map((s) => [
          `${s.theme.code}. ${s.theme.name[lang]}`,
          String(s.then ?? '—'),
          String(s.now ?? '—'),
          signed(s.sinceStart),
          signed(s.sincePrevious),
        ]),
        ['*', 35, 35, 50, 60],
      ),
    );
  }
  if (m.spark) content.push({ text: rt(lang, 'report.spark'), style: 'h3' }, { text: m.spark });
  content.push({ text: `${rt(lang, 'source')}: ${MOTIVATION_SOURCE[lang]}`, style: 'muted' });

  const r = model.resilience;
  content.push({ text: lang === 'nl' ? 'Veerkracht en onderhoud' : 'Resilience and maintenance', style: 'h2' });
  if (!r.brsInstalled) content.push({ text: rt(lang, 'report.brsNotInstalled') });
  else if (r.brs) {
    content.push(
      {
        text: `${rt(lang, 'report.brs')}: ${rt(lang, 'report.brsScore', { score: num(r.brs.score, lang), band: BRS_BANDS[r.brs.band][lang] })}${r.brsPrevious !== null ? ` ${rt(lang, 'report.brsPrevious', { score: num(r.brsPrevious, lang) })}` : ''}`,
      },
      { text: `${rt(lang, 'source')}: ${BRS_SOURCE[lang]}`, style: 'muted' },
      { text: `${rt(lang, 'report.limits')}: ${BRS_LIMITS[lang]}`, style: 'muted' },
    );
  } else content.push({ text: rt(lang, 'report.brsMissing') });
  content.push({
    text: `${rt(lang, 'report.workload')}: ${r.maintenance.workload !== null ? `${r.maintenance.workload}/10` : '—'}`,
    margin: [0, 4, 0, 0],
  });
  const hours = MAINTENANCE_ITEMS.filter((i) => i.id.startsWith('maintenance.'));
  content.push(
    table(
      reportColumns.maintenance(lang, true),
      hours.map((i) => {
        const key = i.id as keyof typeof r.maintenance.hours;
        return [
          i.text[lang],
          String(r.maintenance.hours[key] ?? '—'),
          String(r.maintenancePrevious?.hours[key] ?? '—'),
        ];
      }),
      ['*', 60, 70],
    ),
  );
  if (r.loggedPracticeMinutes !== null)
    content.push({
      text: rt(lang, model.previousCompletedAt ? 'report.logged' : 'report.loggedTotal', {
        minutes: r.loggedPracticeMinutes,
      }),
    });

  const s = model.selfView;
  const c = s.comparison;
  content.push(
    { text: lang === 'nl' ? 'Professioneel zelfbeeld' : 'Professional self-view', style: 'h2' },
    {
      text:
        c.status === 'no-self-rating'
          ? rt(lang, 'report.noSelfRating')
          : rt(lang, 'report.selfRating', { p: c.selfPercentile }),
    },
    {
      text:
        c.status === 'available' && c.measured.percentile !== null
          ? rt(lang, 'report.measured', {
              value: `${formatDecimal(c.measured.percentile, lang, 0)}${lang === 'nl' ? 'e percentiel' : 'th percentile'}`,
            })
          : rt(lang, 'report.measuredNotAvailable'),
    },
    { text: WALFISH_NOTE[lang], margin: [0, 4, 0, 4] },
    { text: NISSEN_LIE_NOTE[lang], style: 'muted' },
  );
  for (const reflection of s.reflections)
    content.push({ text: reflection.item.text[lang], bold: true, margin: [0, 4, 0, 0] }, { text: reflection.answer });
  content.push({ text: rt(lang, 'sources'), style: 'h2' }, { ul: model.sources.map((src) => src[lang]) });

  return {
    info: { title: rt(lang, 'report.title', { date }), creator: 'Spiegel' },
    pageSize: 'A4',
    pageMargins: [48, 48, 48, 56],
    content,
    footer: (page, pages) => ({
      text: `Spiegel · ${rt(lang, 'report.private')} · ${page}/${pages}`,
      alignment: 'center',
      fontSize: 8,
      color: '#555555',
      margin: [0, 20, 0, 0],
    }),
    defaultStyle: { font: 'Roboto', fontSize: 10, lineHeight: 1.2 },
    styles: {
      h1: { fontSize: 18, bold: true, margin: [0, 0, 0, 6] },
      h2: { fontSize: 14, bold: true, margin: [0, 12, 0, 4] },
      h3: { fontSize: 11, bold: true, margin: [0, 8, 0, 2] },
      muted: { fontSize: 8.5, color: '#444444' },
    },
  };
}

export async function reportPdf(model: ReportModel, lang: Lang, ownerName: string): Promise<Buffer> {
  return renderPdf(definition(model, lang, ownerName));
}
