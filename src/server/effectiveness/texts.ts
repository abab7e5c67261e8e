import { defineTexts } from '../../web/i18n.ts';

export const efText = defineTexts({
  'mirror.title': { nl: 'Jouw effectiviteit', en: 'Your effectiveness' },
  'mirror.private': {
    nl: 'Alleen jij ziet deze pagina. Je leidinggevende ziet alleen cijfers over de hele organisatie.',
    en: 'Only you can see this page. Your manager sees figures about the whole organisation only.',
  },
  'mirror.estimate': {
    nl: 'Bij cliënten met dezelfde beginscore eindigen jouw cliënten gemiddeld {effect} punten {direction} dan bij een gemiddelde therapeut in deze organisatie (95%-interval {lower} tot {upper}).',
    en: 'For clients with the same intake score, your clients end on average {effect} points {direction} than with an average therapist in this organisation (95% interval {lower} to {upper}).',
  },
  'mirror.lower': { nl: 'lager', en: 'lower' },
  'mirror.higher': { nl: 'hoger', en: 'higher' },
  'mirror.verdict.more_effective': {
    nl: 'Het interval ligt helemaal aan de gunstige kant van nul: je bent naar deze gegevens effectiever dan gemiddeld.',
    en: 'The interval lies entirely on the favourable side of zero: by these data you are more effective than average.',
  },
  'mirror.verdict.less_effective': {
    nl: 'Het interval ligt helemaal aan de ongunstige kant van nul: naar deze gegevens ben je minder effectief dan gemiddeld. Dat is informatie om mee te werken, geen oordeel over jou als persoon.',
    en: 'The interval lies entirely on the unfavourable side of zero: by these data you are less effective than average. That is information to work with, not a judgement of you as a person.',
  },
  'mirror.verdict.not_distinguishable': {
    nl: 'Het interval bevat nul: je bent op grond van deze gegevens niet te onderscheiden van een gemiddelde therapeut.',
    en: 'The interval contains zero: on these data you cannot be distinguished from an average therapist.',
  },
  'mirror.basis': {
    nl: 'Gebaseerd op {n} afgeronde behandelingen ({instrument}), periode {from} – {to}, berekend op {date}.',
    en: 'Based on {n} completed episodes ({instrument}), period {from} – {to}, computed on {date}.',
  },
  'mirror.notEnough': {
    nl: 'Nog niet genoeg gegevens: er zijn {n} van de minimaal {min} afgeronde behandelingen met voor- en nameting. Met minder is de schatting te onzeker om iets te betekenen.',
    en: 'Not enough data yet: {n} of the at least {min} completed episodes with a first and last measurement. With fewer, the estimate is too uncertain to mean anything.',
  },
  'mirror.none': {
    nl: 'Er is nog geen analyse van therapeuteffecten voor deze organisatie.',
    en: 'There is no therapist-effects analysis for this organisation yet.',
  },
  'mirror.distribution': {
    nl: 'Verdeling van de geschatte effecten van alle therapeuten in de organisatie (zonder namen)',
    en: 'Distribution of the estimated effects of all therapists in the organisation (without names)',
  },
  'mirror.you': { nl: 'jij', en: 'you' },
  'mirror.strata': { nl: 'Naar ernst bij de intake', en: 'By intake severity' },
  'mirror.uncertainty.title': { nl: 'Hoe zeker is dit?', en: 'How certain is this?' },
  'mirror.uncertainty': {
    nl: 'Het getal is een schatting uit een multilevelmodel dat corrigeert voor de beginscore van je cliënten. Schattingen met weinig behandelingen worden naar het gemiddelde getrokken (krimp), zodat toevalstreffers niet als talent of falen worden gelezen. Het 95%-interval geeft de onzekerheid: als het nul bevat, zegt het getal niets over verschil. Therapeutverschillen verklaren in onderzoek 3–8% van de uitkomstvariantie; de meeste verschillen tussen cliënten liggen dus elders.',
    en: 'The number is an estimate from a multilevel model that adjusts for your clients’ intake scores. Estimates based on few episodes are pulled towards the average (shrinkage), so chance is not read as talent or failure. The 95% interval shows the uncertainty: if it contains zero, the number says nothing about a difference. In research, therapist differences explain 3–8% of outcome variance; most differences between clients lie elsewhere.',
  },
  'mirror.doubt': {
    nl: '“Houd van jezelf als persoon, twijfel aan jezelf als therapeut” (Van Paassen): gebruik dit als spiegel, niet als cijfer.',
    en: '“Love yourself as a person, doubt yourself as a therapist” (Van Paassen): use this as a mirror, not as a grade.',
  },
  'org.title': { nl: 'Organisatie: therapeuteffecten', en: 'Organisation: therapist effects' },
  'org.icc': {
    nl: 'Deel van de verschillen in eindscore dat bij de therapeut ligt (ICC): {icc} (95%-profielinterval {lower} – {upper}). Het profielinterval is het bereik van waarden die bij deze gegevens aannemelijk zijn.',
    en: 'Share of the differences in end score that lies with the therapist (ICC): {icc} (95% profile interval {lower} – {upper}). The profile interval is the range of values that are plausible given these data.',
  },
  'org.basis': {
    nl: '{episodes} afgeronde behandelingen van {therapists} therapeuten; {eligible} therapeuten met minstens {min} behandelingen.',
    en: '{episodes} completed episodes of {therapists} therapists; {eligible} therapists with at least {min} episodes.',
  },
  'org.tooFew': {
    nl: 'Dit overzicht verschijnt pas als minstens {min} therapeuten elk minstens {per} afgeronde behandelingen hebben.',
    en: 'This overview appears only when at least {min} therapists each have at least {per} completed episodes.',
  },
  'org.noRanking': {
    nl: 'Spiegel toont nooit een ranglijst of resultaten per therapeut aan leidinggevenden.',
    en: 'Spiegel never shows managers a ranking or results per therapist.',
  },
  'org.refresh': { nl: 'Analyses opnieuw berekenen', en: 'Recompute analyses' },
  'org.queued': {
    nl: 'De analyses staan in de wachtrij en worden op de achtergrond berekend.',
    en: 'The analyses are queued and will be computed in the background.',
  },
  'chart.effect': { nl: 'Effect (punten eindscore)', en: 'Effect (end-score points)' },
  'chart.therapists': { nl: 'Aantal therapeuten', en: 'Number of therapists' },
});
