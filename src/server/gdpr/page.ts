import type { ClientExport } from '../../domain/gdpr/fhir.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { gdprTexts } from './texts.ts';

// The readable GDPR export: the same content as the FHIR Bundle, as a printable page.

interface Item {
  linkId?: unknown;
  text?: unknown;
  answer?: unknown;
  item?: unknown;
}

function answerText(answer: Record<string, unknown>): string {
  for (const [key, value] of Object.entries(answer)) {
    if (!key.startsWith('value')) continue;
    if (value && typeof value === 'object') {
      const coding = value as { display?: unknown; code?: unknown; value?: unknown; unit?: unknown };
      if (coding.display !== undefined || coding.code !== undefined) return String(coding.display ?? coding.code);
      if (coding.value !== undefined) return `${String(coding.value)}${coding.unit ? ` ${String(coding.unit)}` : ''}`;
      return JSON.stringify(value);
    }
    return String(value);
  }
  return '';
}

/** Flattens a QuestionnaireResponse's items (nested groups included) into question/answer rows. */
export function answerRows(items: unknown, prefix = ''): Array<[string, string]> {
  if (!Array.isArray(items)) return [];
  const rows: Array<[string, string]> = [];
  for (const raw of items as Item[]) {
    const label = `${prefix}${typeof raw.text === 'string' ? raw.text : String(raw.linkId ?? '')}`;
    const answers = Array.isArray(raw.answer) ? (raw.answer as Record<string, unknown>[]) : [];
    if (answers.length) rows.push([label, answers.map(answerText).join('; ')]);
    for (const a of answers) rows.push(...answerRows((a as Item).item, `${label} › `));
    rows.push(...answerRows(raw.item, `${label} › `));
  }
  return rows;
}

function day(value: Date | string): string {
  return new Date(value).toISOString().slice(0, 10);
}

export function exportPage(lang: Lang, data: ClientExport, csrf: string): SafeHtml {
  const g = (key: Parameters<typeof gdprTexts>[1], params?: Record<string, string>) => gdprTexts(lang, key, params);
  const label = (participantId: string) => data.participants.find((p) => p.id === participantId)?.label ?? '';
  return html`<h1>${g('export.title', { code: data.client.code })}</h1>
    <p>${g('export.intro')}</p>
    <p class="no-print">
      <a class="button" href="/api/gdpr/clients/${data.client.id}/bundle" download>${g('export.download')}</a>
    </p>
    <section class="card" aria-labelledby="c-h">
      <h2 id="c-h">${g('export.client')}</h2>
      <dl>
        <dt>${g('export.code')}</dt>
        <dd>${data.client.code}</dd>
        ${
          data.client.alias
            ? html`<dt>${g('export.alias')}</dt>
                <dd>${data.client.alias}</dd>`
            : null
        }
        <dt>${g('export.created')}</dt>
        <dd>${day(data.client.created_at)}</dd>
      </dl>
    </section>
    <section class="card" aria-labelledby="e-h">
      <h2 id="e-h">${g('export.episodes')}</h2>
      ${
        data.episodes.length === 0
          ? html`<p>${g('export.none')}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${g('export.modality')}</th>
                  <th scope="col">${g('export.status')}</th>
                  <th scope="col">${g('export.start')}</th>
                  <th scope="col">${g('export.end')}</th>
                  <th scope="col">${g('export.participants')}</th>
                </tr>
              </thead>
              <tbody>
                ${data.episodes.map(
                  (e) =>
                    html`<tr>
                      <td>${e.modality}</td>
                      <td>${e.status}</td>
                      <td>${e.started_on}</td>
                      <td>${e.ended_on ?? '—'}</td>
                      <td>
                        ${data.participants
                          .filter((p) => p.episode_id === e.id)
                          .map((p) => p.label)
                          .join(', ')}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>
    <section class="card" aria-labelledby="s-h">
      <h2 id="s-h">${g('export.scores')}</h2>
      ${
        data.scores.length === 0
          ? html`<p>${g('export.none')}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">${g('export.when')}</th>
                  <th scope="col">${g('export.session')}</th>
                  <th scope="col">${g('export.participants')}</th>
                  <th scope="col">${g('export.instrument')}</th>
                  <th scope="col">${g('export.scale')}</th>
                  <th scope="col">${g('export.value')}</th>
                  <th scope="col">${g('export.band')}</th>
                  <th scope="col">${g('export.risk')}</th>
                </tr>
              </thead>
              <tbody>
                ${data.scores.map(
                  (s) =>
                    html`<tr>
                      <td>${day(s.measured_at)}</td>
                      <td>${s.session_number}</td>
                      <td>${label(s.participant_id)}</td>
                      <td>${s.instrument_id}</td>
                      <td>${s.scale_id}</td>
                      <td>${s.value ?? '—'}</td>
                      <td>${s.band ?? ''}</td>
                      <td>${g(s.risk ? 'export.yes' : 'export.no')}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>
    <section aria-labelledby="r-h">
      <h2 id="r-h">${g('export.responses')}</h2>
      ${data.responses.length === 0 ? html`<p>${g('export.none')}</p>` : null}
      ${data.responses.map(
        (r) =>
          html`<div class="card">
            <h3>
              ${r.instrument_id} · ${g('export.session')} ${r.session_number} · ${label(r.participant_id)} ·
              ${day(r.submitted_at)}
            </h3>
            <table>
              <thead>
                <tr>
                  <th scope="col">${g('export.question')}</th>
                  <th scope="col">${g('export.answer')}</th>
                </tr>
              </thead>
              <tbody>
                ${answerRows(r.questionnaire_response.item).map(
                  ([q, a]) =>
                    html`<tr>
                      <td>${q}</td>
                      <td>${a}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`,
      )}
    </section>
    <section class="card no-print" aria-labelledby="x-h">
      <h2 id="x-h">${g('erase.title')}</h2>
      <p>${g('erase.intro')}</p>
      <form method="post" action="/api/gdpr/clients/${data.client.id}/erase">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <label for="confirmCode">${g('erase.confirm')}</label>
        <input id="confirmCode" name="confirmCode" type="text" required maxlength="200" autocomplete="off" />
        <p><button type="submit" class="danger">${g('erase.submit')}</button></p>
      </form>
    </section>`;
}
