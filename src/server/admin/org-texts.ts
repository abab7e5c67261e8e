import { defineTexts } from '../../web/i18n.ts';

/** Texts of the organisation settings (crisis contacts, alert thresholds, defaults, dashboards) and teams. */
export const orgText = defineTexts({
  title: { nl: 'Organisatie-instellingen', en: 'Organisation settings' },
  saved: { nl: 'Opgeslagen. De wijziging staat in het auditlogboek.', en: 'Saved. The change is in the audit trail.' },
  save: { nl: 'Opslaan', en: 'Save' },
  'crisis.title': { nl: 'Crisiscontacten voor cliënten', en: 'Crisis contacts for clients' },
  'crisis.help': {
    nl: 'Cliënten zien deze contacten direct na het invullen als ze een risico-item aankruisen. Geef per contact de tekst in het Nederlands en het Engels en een link (tel:, https: of mailto:). Lege regels worden overgeslagen; zonder contacten gelden de standaardcontacten (113 en 112).',
    en: 'Clients see these contacts right after submitting when they endorse a risk item. Give each contact its text in Dutch and English and a link (tel:, https: or mailto:). Empty rows are skipped; without contacts the defaults (113 and 112) apply.',
  },
  'crisis.nl': { nl: 'Tekst (Nederlands) {n}', en: 'Text (Dutch) {n}' },
  'crisis.en': { nl: 'Tekst (Engels) {n}', en: 'Text (English) {n}' },
  'crisis.href': { nl: 'Link {n}', en: 'Link {n}' },
  'alerts.title': { nl: 'Drempels voor signalen', en: 'Alert thresholds' },
  'alerts.noImprovement': {
    nl: 'Signaal "geen betrouwbare verbetering" vanaf sessie (3 tot en met 20)',
    en: '"No reliable improvement" alert from session (3 to 20)',
  },
  'alerts.allianceDrop': {
    nl: 'Signaal "werkrelatie daalt" bij een daling van minstens (0,5 tot en met 4 punten)',
    en: '"Alliance dropping" alert at a drop of at least (0.5 to 4 points)',
  },
  'measure.title': { nl: 'Standaarden voor metingen en herinneringen', en: 'Measurement and reminder defaults' },
  'measure.schedule': { nl: 'Standaard meetschema', en: 'Default measurement schedule' },
  'measure.every_session': { nl: 'elke sessie', en: 'every session' },
  'measure.every_n': { nl: 'elke N sessies', en: 'every N sessions' },
  'measure.everyN': { nl: 'N (2 tot en met 8)', en: 'N (2 to 8)' },
  'measure.linkDays': {
    nl: 'Een link blijft geldig (dagen, 1 tot en met 14)',
    en: 'A link stays valid (days, 1 to 14)',
  },
  'measure.reminder': {
    nl: 'Herinnering na (dagen zonder antwoord, 0 = geen herinnering, tot en met 7)',
    en: 'Reminder after (days without an answer, 0 = no reminder, up to 7)',
  },
  'dash.title': { nl: 'Dashboards en groepsgrootte', en: 'Dashboards and group size' },
  'dash.help': {
    nl: 'Een cijfer verschijnt pas bij minstens zoveel therapeuten en behandelingen. Je kunt deze minima alleen verhogen, nooit onder 5 therapeuten en 10 behandelingen zetten.',
    en: 'A figure appears only with at least this many therapists and episodes. You can only raise these minimums, never set them below 5 therapists and 10 episodes.',
  },
  'dash.minTherapists': {
    nl: 'Minimum aantal therapeuten (5 tot en met 50)',
    en: 'Minimum number of therapists (5 to 50)',
  },
  'dash.minEpisodes': {
    nl: 'Minimum aantal behandelingen (10 tot en met 500)',
    en: 'Minimum number of episodes (10 to 500)',
  },
  'dash.followUp': { nl: 'Signaal op tijd afgehandeld binnen', en: 'Alert handled in time within' },
  'dash.hours': { nl: '{n} uur', en: '{n} hours' },
  'teams.title': { nl: 'Teams en locaties', en: 'Teams and locations' },
  'teams.help': {
    nl: 'Een therapeut kan in meer teams zitten. De dashboards tonen per team alleen cijfers als het team groot genoeg is.',
    en: 'A therapist can be in more than one team. The dashboards show a team’s figures only when the team is large enough.',
  },
  'teams.name': { nl: 'Naam', en: 'Name' },
  'teams.new': { nl: 'Nieuw team', en: 'New team' },
  'teams.add': { nl: 'Team toevoegen', en: 'Add team' },
  'teams.members': { nl: 'Therapeuten in {name}', en: 'Therapists in {name}' },
  'teams.delete': { nl: 'Team verwijderen', en: 'Delete team' },
  'teams.none': { nl: 'Nog geen teams.', en: 'No teams yet.' },
  'link.org': {
    nl: 'Organisatie-instellingen (crisiscontacten, signalen, metingen, dashboards)',
    en: 'Organisation settings (crisis contacts, alerts, measurements, dashboards)',
  },
  'link.teams': { nl: 'Teams en locaties', en: 'Teams and locations' },
});
