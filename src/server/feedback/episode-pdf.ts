import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Lang } from '../../web/i18n.ts';
import { progressChartSvg, allianceChartSvg } from '../../web/charts/progress.ts';
import { alertParticipant, answerBlocks, type EpisodePageInput } from './episode-page.ts';
import { outcomeCharts } from './episode-view.ts';
import { pxText } from '../practice/texts.ts';
import { dateText } from './caseload-page.ts';
import { fbText } from './texts.ts';

type Bilingual = { nl: string; en: string };

/** The episode report as a PDF: the same charts (SVG) and alerts as the page, for the file or supervision. */
export function episodePdfDefinition(input: EpisodePageInput): TDocumentDefinitions {
  const lang: Lang = input.lang;
  const t = (key: Parameters<typeof fbText>[1], params?: Record<string, string | number>) => fbText(lang, key, params);
  const e = input.episode;
  const content: Content[] = [
    { text: t('episode.title', { code: e.client_code }), style: 'h1' },
    {
      text: `${t(`status.${input.status}` as Parameters<typeof fbText>[1])} · ${t(`modality.${e.modality as 'individual'}`)} · ${t('col.started')}: ${dateText(lang, e.started_on)}`,
      style: 'muted',
    },
    {
      text: t('pdf.madeOn', { date: dateText(lang, new Date()) }),
      style: 'muted',
      margin: [0, 2, 0, 8],
    },
  ];
  for (const o of input.outcomes) {
    const title = t('episode.progress', { name: o.scale.name[lang] ?? o.scale.name.en ?? o.instrumentId });
    content.push({ text: title, style: 'h2' });
    for (const c of outcomeCharts(o, title)) {
      if (o.series.length > 1)
        content.push({ text: c.participant?.label ?? '', style: 'h3', color: c.participant?.colour });
      content.push({ svg: progressChartSvg({ lang, title: c.title, ...c.chart }), width: 500 });
    }
    const sessions = [...new Set(o.series.flatMap((s) => s.points.map((p) => p.session)))].sort((a, b) => a - b);
    content.push({
      table: {
        headerRows: 1,
        body: [
          [t('chart.session'), ...o.series.map((s) => s.label)].map((h) => ({ text: h, bold: true })),
          ...sessions.map((session) => [
            String(session),
            ...o.series.map((s) => {
              const value = s.points.find((p) => p.session === session)?.value;
              const expected = s.expected.find((x) => x.session === session)?.mean;
              return `${value ?? '–'}${value !== undefined && expected !== undefined ? ` (${t('chart.expected').toLowerCase()} ${expected.toFixed(1)})` : ''}`;
            }),
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
      fontSize: 8,
      margin: [0, 4, 0, 4],
    });
    content.push({
      text: o.curve
        ? t('episode.expectedMethod', {
            method: lang === 'nl' ? 'gemengd model' : 'mixed model',
            date: dateText(lang, o.curve.fittedAt),
            episodes: o.curve.dataWindow.episodes,
            therapists: o.curve.dataWindow.therapists,
            from: dateText(lang, o.curve.dataWindow.from),
            to: dateText(lang, o.curve.dataWindow.to),
          })
        : t('episode.ruleBased'),
      style: 'muted',
    });
  }
  for (const a of input.alliance) {
    content.push(
      { text: t('episode.alliance'), style: 'h2' },
      { svg: allianceChartSvg(lang, t('episode.alliance'), a.series, a.lowThreshold, a.max), width: 500 },
    );
  }
  content.push({ text: t('episode.alerts'), style: 'h2' });
  const open = input.alerts.filter((a) => !a.acknowledged_at);
  const handled = input.alerts.filter((a) => a.acknowledged_at);
  if (open.length === 0) content.push({ text: t('episode.noAlerts') });
  const alertBlock = (alert: (typeof input.alerts)[number]) => {
    const reason = alert.reason as Bilingual & { suggestions?: Bilingual[] };
    const who = e.participants.length > 1 ? alertParticipant(alert, e.participants) : null;
    content.push(
      {
        text: `${t(`rule.${alert.rule}` as Parameters<typeof fbText>[1])}${who ? ` · ${who.label}` : ''}`,
        style: 'h3',
      },
      { text: `${dateText(lang, alert.created_at)}: ${reason[lang]}` },
    );
    if (alert.acknowledged_at)
      content.push({
        text: pxText(lang, 'alerts.handledBy', {
          who: alert.acknowledged_by_name ?? '–',
          date: dateText(lang, alert.acknowledged_at),
          note: alert.acknowledgement_note ?? '',
        }),
        style: 'muted',
      });
    else if (reason.suggestions?.length)
      content.push({ ul: reason.suggestions.map((s) => s[lang]), margin: [0, 2, 0, 4] });
  };
  open.forEach(alertBlock);
  if (handled.length) {
    content.push({ text: pxText(lang, 'alerts.history', { n: handled.length }), style: 'h2' });
    handled.forEach(alertBlock);
  }
  content.push({ text: t('episode.lastResponse'), style: 'h2' });
  for (const block of answerBlocks(lang, input.latestResponses, input.registry, e.participants)) {
    // Wording in another language is the instrument's original: marked (`lang`, as on the page) and labelled.
    const cell = (text: string, textLang: string) =>
      textLang.split('-')[0] === lang ? text : ({ text, lang: textLang } as unknown as Content);
    const original = [block.titleLang, ...block.langs.flat()].find((l) => l.split('-')[0] !== lang);
    content.push({ text: block.title, style: 'h3' });
    if (original) {
      const primary = original.split('-')[0];
      const key = primary === 'en' || primary === 'nl' ? (`original.${primary}` as const) : 'original.other';
      content.push({ text: fbText(lang, key), style: 'muted' });
    }
    content.push({
      table: {
        headerRows: 0,
        widths: ['*', 'auto'],
        body: block.rows.map(([q, a], i) => [cell(q, block.langs[i][0]), cell(a, block.langs[i][1])]),
      },
      layout: 'lightHorizontalLines',
      fontSize: 8,
      margin: [0, 2, 0, 6],
    });
  }
  return { info: { title: t('episode.title', { code: e.client_code }), creator: 'Spiegel' }, content };
}
