import { html, inLanguage, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import type { Modality, Schedule } from '../../store/schema.ts';
import type { ParticipantInput, PlanInput } from '../../store/episodes.ts';
import { fbText } from '../feedback/texts.ts';
import { errorSummary } from './clients.ts';
import { pxText, type PxKey } from './texts.ts';

// The episode form (new episode), the plan form and the participants form: plain HTML forms with a
// fixed number of participant rows, so they work without JavaScript.

export const PARTICIPANT_ROWS = 6;
const MODALITIES: Modality[] = ['individual', 'couple', 'family', 'group'];
const SCHEDULES: Schedule[] = ['every_session', 'intake', 'every_n', 'end'];

export type FormFields = Record<string, string | undefined>;
export interface InstrumentChoice {
  id: string;
  title: string;
  /** The language of `title` (the original when there is no translation in the page's language). */
  titleLang: string;
}

/** Participant rows from form fields p0_label, p0_role, p0_email, p0_phone, … */
export function participantsFrom(body: FormFields, rows = PARTICIPANT_ROWS): Array<ParticipantInput & { id?: string }> {
  return Array.from({ length: rows }, (_, i) => ({
    id: body[`p${i}_id`] || undefined,
    label: (body[`p${i}_label`] ?? '').trim(),
    role: (body[`p${i}_role`] ?? '').trim() || null,
    email: (body[`p${i}_email`] ?? '').trim() || null,
    phone: (body[`p${i}_phone`] ?? '').trim() || null,
    lang: body[`p${i}_lang`] === 'en' ? ('en' as const) : ('nl' as const),
  }));
}

/** The plan from fields plan_<instrument> (a schedule or '') and everyN_<instrument>. */
export function plansFrom(body: FormFields, instruments: InstrumentChoice[]): PlanInput[] {
  return instruments.flatMap((inst) => {
    const schedule = body[`plan_${inst.id}`] as Schedule | '' | undefined;
    if (!schedule || !SCHEDULES.includes(schedule)) return [];
    const n = Number(body[`everyN_${inst.id}`]);
    return [{ instrumentId: inst.id, schedule, everyN: schedule === 'every_n' ? (Number.isInteger(n) ? n : 0) : null }];
  });
}

export function participantRows(lang: Lang, values: Array<ParticipantInput & { id?: string }>, rows: number): SafeHtml {
  const t = (k: PxKey, p?: Record<string, string | number>) => pxText(lang, k, p);
  return html`${Array.from({ length: rows }, (_, i) => {
    const v = values[i] ?? { label: '' };
    return html`<fieldset class="participant">
      <legend>${t('participant.n', { n: i + 1 })}</legend>
      ${v.id ? html`<input type="hidden" name="p${i}_id" value="${v.id}" />` : null}
      <label for="p${i}_label">${t('participant.label')}</label>
      <input id="p${i}_label" name="p${i}_label" type="text" maxlength="40" autocomplete="off" value="${v.label}" />
      <label for="p${i}_role">${t('participant.role')}</label>
      <input id="p${i}_role" name="p${i}_role" type="text" maxlength="40" autocomplete="off" value="${v.role ?? ''}" />
      <label for="p${i}_email">${t('participant.email')}</label>
      <input
        id="p${i}_email"
        name="p${i}_email"
        type="email"
        maxlength="200"
        autocomplete="off"
        value="${v.email ?? ''}"
      />
      <label for="p${i}_phone">${t('participant.phone')}</label>
      <input
        id="p${i}_phone"
        name="p${i}_phone"
        type="tel"
        maxlength="20"
        autocomplete="off"
        value="${v.phone ?? ''}"
      />
      <label for="p${i}_lang">${t('participant.lang')}</label>
      <select id="p${i}_lang" name="p${i}_lang">
        <option value="nl" ${v.lang !== 'en' ? html`selected` : null}>Nederlands</option>
        <option value="en" ${v.lang === 'en' ? html`selected` : null}>English</option>
      </select>
    </fieldset>`;
  })}`;
}

export function planFields(
  lang: Lang,
  instruments: InstrumentChoice[],
  plans: readonly PlanInput[],
  withoutPlan: boolean,
): SafeHtml {
  const t = (k: PxKey) => pxText(lang, k);
  return html`<fieldset>
    <legend>${t('plan.title')}</legend>
    <p class="hint" id="plan-hint">${t('plan.hint')}</p>
    <table>
      <caption class="visually-hidden">
        ${t('plan.title')}
      </caption>
      <tbody>
        ${instruments.map((inst) => {
          const plan = plans.find((p) => p.instrumentId === inst.id);
          return html`<tr>
            <th scope="row"><label for="plan_${inst.id}">${inLanguage(inst.title, inst.titleLang, lang)}</label></th>
            <td>
              <select id="plan_${inst.id}" name="plan_${inst.id}">
                <option value="">${t('plan.none')}</option>
                ${SCHEDULES.map(
                  (s) =>
                    html`<option value="${s}" ${plan?.schedule === s ? html`selected` : null}>
                      ${t(`plan.${s}`)}
                    </option>`,
                )}
              </select>
            </td>
            <td>
              <label for="everyN_${inst.id}" class="visually-hidden">${inst.title}: ${t('plan.everyN')}</label>
              <input
                id="everyN_${inst.id}"
                name="everyN_${inst.id}"
                type="number"
                min="2"
                max="52"
                value="${plan?.everyN ?? ''}"
                placeholder="N"
              />
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
    <p class="option">
      <input
        type="checkbox"
        id="withoutPlan"
        name="withoutPlan"
        value="yes"
        ${withoutPlan ? html`checked` : null}
        aria-describedby="without-hint"
      />
      <label for="withoutPlan">${t('plan.without')}</label>
    </p>
    <p class="hint" id="without-hint">${t('plan.withoutHint')}</p>
  </fieldset>`;
}

export interface NewEpisodeValues {
  modality: Modality;
  startedOn: string;
  participants: Array<ParticipantInput & { id?: string }>;
  plans: PlanInput[];
  withoutPlan: boolean;
}

export function newEpisodeForm(
  lang: Lang,
  csrf: string,
  client: { id: string; code: string },
  instruments: InstrumentChoice[],
  values: NewEpisodeValues,
  errors: string[],
): SafeHtml {
  const t = (k: PxKey, p?: Record<string, string | number>) => pxText(lang, k, p);
  return html`<h1>${t('episode.new', { code: client.code })}</h1>
    ${errorSummary(lang, errors)}
    <form method="post" action="/app/clients/${client.id}/episodes" class="card" data-testid="episode-form">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <fieldset>
        <legend>${t('episode.modality')}</legend>
        <div class="options">
          ${MODALITIES.map(
            (m) =>
              html`<span class="option"
                ><input
                  type="radio"
                  id="modality-${m}"
                  name="modality"
                  value="${m}"
                  ${values.modality === m ? html`checked` : null}
                /><label for="modality-${m}">${fbText(lang, `modality.${m}`)}</label></span
              >`,
          )}
        </div>
      </fieldset>
      <label for="startedOn">${t('episode.startedOn')}</label>
      <input id="startedOn" name="startedOn" type="date" required value="${values.startedOn}" />
      <h2>${t('episode.participants')}</h2>
      <p class="hint">${t('episode.participantsHint')}</p>
      ${participantRows(lang, values.participants, PARTICIPANT_ROWS)}
      ${planFields(lang, instruments, values.plans, values.withoutPlan)}
      <p><button type="submit">${t('episode.create')}</button> <a href="/app/clients">${t('form.cancel')}</a></p>
    </form>`;
}
