import { formatDecimal } from '../../domain/format.ts';
import type { FastifyReply } from 'fastify';
import { formatDate } from '../../domain/reflection/format.ts';
import type { MonthTrend } from '../../domain/reflection/outcome-trend.ts';
import { PRACTICE_SOURCE, SKILL_LABELS, SKILLS, type WeekTotal } from '../../domain/reflection/practice.ts';
import type { PracticeGoal, PracticeLog } from '../../store/reflection-practice.ts';
import { html, raw, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { barChartSvg, lineChartSvg } from './charts.ts';
import { csrfField, privateNote } from './page.ts';
import { rt } from './texts.ts';
import { jt } from './texts-more.ts';

/** The practice page: goals, the log form, the weekly chart with its table, the outcome trend. */

export function goalName(goal: PracticeGoal, lang: Lang): string {
  return goal.skill === 'custom' && goal.content.customSkill
    ? goal.content.customSkill
    : SKILL_LABELS[goal.skill][lang];
}

function goalForm(reply: FastifyReply, lang: Lang): SafeHtml {
  return html`<form method="post" action="/app/practice/goals" class="card">
    <h2>${jt(lang, 'practice.newGoal')}</h2>
    ${csrfField(reply)}
    <label for="skill">${jt(lang, 'practice.skill')}</label>
    <select id="skill" name="skill" required>
      ${SKILLS.map((s) => html`<option value="${s}">${SKILL_LABELS[s][lang]}</option>`)}
    </select>
    <label for="customSkill">${jt(lang, 'practice.customSkill')}</label>
    <input type="text" id="customSkill" name="customSkill" maxlength="100" />
    <label for="goal-title">${jt(lang, 'practice.goalTitle')}</label>
    <input type="text" id="goal-title" name="title" maxlength="200" required />
    <label for="goal-description">${jt(lang, 'practice.description')}</label>
    <textarea id="goal-description" name="description" rows="3" maxlength="4000"></textarea>
    <p><button type="submit" data-testid="goal-add">${jt(lang, 'practice.addGoal')}</button></p>
  </form>`;
}

function logForm(reply: FastifyReply, lang: Lang, goals: PracticeGoal[], today: string): SafeHtml {
  const active = goals.filter((g) => !g.archivedAt);
  if (active.length === 0) return html``;
  return html`<form method="post" action="/app/practice/logs" class="card">
    <h2>${jt(lang, 'practice.log')}</h2>
    ${csrfField(reply)}
    <label for="log-goal">${jt(lang, 'practice.logGoal')}</label>
    <select id="log-goal" name="goalId" required>
      ${active.map((g) => html`<option value="${g.id}">${g.content.title} (${goalName(g, lang)})</option>`)}
    </select>
    <label for="log-date">${jt(lang, 'practice.practisedOn')}</label>
    <input type="date" id="log-date" name="practisedOn" max="${today}" value="${today}" />
    <label for="log-minutes">${jt(lang, 'practice.minutes')}</label>
    <input type="number" id="log-minutes" name="minutes" min="1" max="600" step="1" required />
    <label for="log-practised">${jt(lang, 'practice.practised')}</label>
    <textarea id="log-practised" name="practised" rows="3" maxlength="4000" required></textarea>
    <label for="log-feedback">${jt(lang, 'practice.feedback')}</label>
    <textarea id="log-feedback" name="feedback" rows="3" maxlength="4000"></textarea>
    <p><button type="submit" data-testid="log-add">${jt(lang, 'practice.addLog')}</button></p>
  </form>`;
}

function weeklyChart(lang: Lang, weeks: WeekTotal[]): SafeHtml {
  const labels = weeks.map((w) => w.week.slice(5));
  const svg = barChartSvg(
    labels,
    weeks.map((w) => w.minutes),
    jt(lang, 'practice.minutes'),
  );
  return html`<section class="card" aria-labelledby="chart-practice">
    <h2 id="chart-practice">${jt(lang, 'practice.chart')}</h2>
    <figure><div class="chart" role="img" aria-labelledby="chart-practice">${raw(svg)}</div></figure>
    <details>
      <summary>${jt(lang, 'practice.chartTable')}</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">${jt(lang, 'practice.week')}</th>
            <th scope="col">${jt(lang, 'practice.total')}</th>
          </tr>
        </thead>
        <tbody>
          ${weeks.map(
            (w) =>
              html`<tr>
                <td>${formatDate(new Date(`${w.week}T12:00:00Z`), lang)}</td>
                <td>${w.minutes}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
  </section>`;
}

function outcomeChart(
  lang: Lang,
  trend: { instrumentId: string; scaleId: string; months: MonthTrend[] } | null,
): SafeHtml {
  const hasData = trend?.months.some((m) => m.meanImprovement !== null);
  if (!trend || !hasData)
    return html`<section class="card" aria-labelledby="chart-outcome">
      <h2 id="chart-outcome">${jt(lang, 'practice.outcome')}</h2>
      <p>${jt(lang, 'practice.outcomeNone')}</p>
    </section>`;
  const svg = lineChartSvg(
    trend.months.map((m) => m.month),
    trend.months.map((m) => m.meanImprovement),
    jt(lang, 'practice.improvement'),
  );
  return html`<section class="card" aria-labelledby="chart-outcome">
    <h2 id="chart-outcome">${jt(lang, 'practice.outcome')}</h2>
    <p class="muted">${jt(lang, 'practice.outcomeNote', { instrument: trend.instrumentId, scale: trend.scaleId })}</p>
    <figure><div class="chart" role="img" aria-labelledby="chart-outcome">${raw(svg)}</div></figure>
    <details>
      <summary>${jt(lang, 'practice.chartTable')}</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">${jt(lang, 'practice.month')}</th>
            <th scope="col">${jt(lang, 'practice.improvement')}</th>
            <th scope="col">${jt(lang, 'practice.measurements')}</th>
          </tr>
        </thead>
        <tbody>
          ${trend.months.map(
            (m) =>
              html`<tr>
                <td>${m.month}</td>
                <td>${m.meanImprovement === null ? '—' : formatDecimal(m.meanImprovement, lang, 2)}</td>
                <td>${m.measurements}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
  </section>`;
}

export function logsList(lang: Lang, logs: PracticeLog[], goals: PracticeGoal[]): SafeHtml {
  if (logs.length === 0) return html`<p>${jt(lang, 'practice.noLogs')}</p>`;
  const byId = new Map(goals.map((g) => [g.id, g]));
  return html`<ul class="logs">
    ${logs.map((l) => {
      const goal = byId.get(l.goalId);
      return html`<li class="card" data-testid="practice-log">
        <p>
          <strong>${formatDate(new Date(`${l.practisedOn}T12:00:00Z`), lang)}</strong> · ${l.minutes} min ·
          ${goal ? goal.content.title : ''}
        </p>
        <p class="prewrap">${l.content.practised}</p>
        ${l.content.feedback ? html`<p class="prewrap muted">${l.content.feedback}</p>` : null}
      </li>`;
    })}
  </ul>`;
}

export function practiceBody(
  reply: FastifyReply,
  lang: Lang,
  input: {
    goals: PracticeGoal[];
    logs: PracticeLog[];
    weeks: WeekTotal[];
    trend: { instrumentId: string; scaleId: string; months: MonthTrend[] } | null;
    today: string;
    reminder: SafeHtml;
  },
): SafeHtml {
  const active = input.goals.filter((g) => !g.archivedAt);
  return html`${input.reminder}
    <h1>${jt(lang, 'practice.title')}</h1>
    <p>${jt(lang, 'practice.intro')}</p>
    ${privateNote(lang)}
    <p class="source">
      <strong>${rt(lang, 'source')}:</strong> ${PRACTICE_SOURCE[lang]} ${rt(lang, 'projectAuthored')}
    </p>
    <section class="card" aria-labelledby="goals">
      <h2 id="goals">${jt(lang, 'practice.goals')}</h2>
      ${
        active.length === 0
          ? html`<p>${jt(lang, 'practice.noGoals')}</p>`
          : html`<ul>
              ${active.map((g) => html`<li data-testid="practice-goal"><a href="/app/practice/goals/${g.id}">${g.content.title}</a> <span class="muted">— ${goalName(g, lang)}</span></li>`)}
            </ul>`
      }
    </section>
    ${logForm(reply, lang, input.goals, input.today)} ${goalForm(reply, lang)} ${weeklyChart(lang, input.weeks)}
    ${outcomeChart(lang, input.trend)}
    <section aria-labelledby="recent">
      <h2 id="recent">${jt(lang, 'practice.recent')}</h2>
      ${logsList(lang, input.logs.slice(0, 20), input.goals)}
    </section>`;
}

export function goalBody(reply: FastifyReply, lang: Lang, goal: PracticeGoal, logs: PracticeLog[]): SafeHtml {
  return html`<p><a href="/app/practice">${jt(lang, 'practice.title')}</a></p>
    <h1>${goal.content.title}</h1>
    ${goalSummary(goal, lang)}
    ${
      goal.archivedAt
        ? html`<p class="muted">${jt(lang, 'practice.archived')}</p>`
        : html`<form method="post" action="/app/practice/goals/${goal.id}/archive">
            ${csrfField(reply)}<button type="submit" class="secondary">${jt(lang, 'practice.archive')}</button>
          </form>`
    }
    <h2>${jt(lang, 'practice.recent')}</h2>
    ${logsList(lang, logs, [goal])}`;
}

export function goalSummary(goal: PracticeGoal, lang: Lang): SafeHtml {
  return html`<p class="muted">${goalName(goal, lang)} · ${formatDate(goal.createdAt, lang)}</p>
    ${goal.content.description ? html`<p class="prewrap">${goal.content.description}</p>` : null}`;
}
