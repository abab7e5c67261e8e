import { defineTexts } from '../i18n.ts';

export const formText = defineTexts({
  'form.title': { nl: 'Vragenlijst', en: 'Questionnaire' },
  'form.intro': {
    nl: 'Je antwoorden gaan alleen naar je eigen behandelaar. Het invullen duurt ongeveer een minuut.',
    en: 'Your answers go only to your own therapist. Filling this in takes about a minute.',
  },
  'form.progress': { nl: '{done} van {total} vragen beantwoord', en: '{done} of {total} questions answered' },
  'form.submit': { nl: 'Versturen', en: 'Send' },
  'form.required': { nl: 'Beantwoord deze vraag.', en: 'Please answer this question.' },
  'form.errors': {
    nl: 'Niet alle verplichte vragen zijn beantwoord.',
    en: 'Not all required questions have been answered.',
  },
  'form.fellBack': {
    nl: 'Deze vragenlijst is niet in het Nederlands beschikbaar in een geverifieerde vertaling; hieronder staat de {lang} versie.',
    en: 'This questionnaire is not available in a verified English version; the {lang} version is shown below.',
  },
  'form.projectAuthored': {
    nl: 'Opgesteld door het Spiegel-project; geen gevalideerd instrument.',
    en: 'Written by the Spiegel project; not a validated instrument.',
  },
  'form.draftRestored': {
    nl: 'Je eerder ingevulde antwoorden zijn teruggezet.',
    en: 'Your earlier answers have been restored.',
  },
  'form.offline': {
    nl: 'Geen verbinding. Je antwoorden zijn bewaard op dit toestel en worden verstuurd zodra je weer online bent.',
    en: 'No connection. Your answers are kept on this device and will be sent as soon as you are back online.',
  },
  'thanks.title': { nl: 'Dank je wel', en: 'Thank you' },
  'thanks.body': {
    nl: 'Je antwoorden zijn verstuurd naar je behandelaar. Je kunt dit venster sluiten.',
    en: 'Your answers have been sent to your therapist. You can close this window.',
  },
  'crisis.title': { nl: 'Heb je nu hulp nodig?', en: 'Do you need help right now?' },
  'crisis.body': {
    nl: 'Je gaf aan dat je soms denkt dat je beter dood zou kunnen zijn of jezelf iets aan zou willen doen. Je behandelaar ziet dit. Wacht je niet tot de volgende afspraak als het nu zwaar is:',
    en: 'You indicated that you sometimes think you would be better off dead or of hurting yourself. Your therapist will see this. Do not wait for the next appointment if things are hard right now:',
  },
  'invalid.title': { nl: 'Deze link werkt niet', en: 'This link does not work' },
  'invalid.body': {
    nl: 'Deze link is niet (meer) geldig. Vraag je behandelaar om een nieuwe link.',
    en: 'This link is not valid (any more). Ask your therapist for a new link.',
  },
});

/** Default crisis contacts: 113 Zelfmoordpreventie. Organisations can replace them in their settings. */
export const DEFAULT_CRISIS_CONTACTS = [
  {
    nl: '113 Zelfmoordpreventie: bel gratis 0800-0113 (dag en nacht)',
    en: '113 Suicide Prevention (Netherlands): call 0800-0113 free of charge (day and night)',
    href: 'tel:08000113',
  },
  { nl: 'Chat of lees verder op 113.nl', en: 'Chat or read more at 113.nl', href: 'https://www.113.nl' },
  { nl: 'Bij direct levensgevaar: bel 112', en: 'In immediate danger: call 112', href: 'tel:112' },
];
