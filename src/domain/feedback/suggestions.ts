/**
 * Suggested actions, paraphrased from the recommendations in seed 001 ("De effectieve therapeut",
 * section "Onderzoek leidt tot de volgende aanbevelingen"). Each alert rule picks the ones that fit.
 */
export type Bilingual = { nl: string; en: string };

export const SUGGESTIONS = {
  metacommunicate: {
    nl: 'Bespreek de voortgang en de werkrelatie openlijk met de cliënt (metacommunicatie); dat kan een impasse doorbreken.',
    en: 'Talk openly with the client about progress and the working relationship (metacommunication); it can break an impasse.',
  },
  revisitGoals: {
    nl: 'Ga na of jullie het (nog) eens zijn over de doelen van de behandeling en ieders taken.',
    en: 'Check whether you (still) agree on the goals of treatment and on each other’s tasks.',
  },
  exploreRupture: {
    nl: 'Onderzoek een mogelijke breuk in de werkrelatie en bespreek die met de cliënt.',
    en: 'Explore a possible rupture in the working alliance and discuss it with the client.',
  },
  supervision: {
    nl: 'Breng de casus in bij intervisie of supervisie.',
    en: 'Bring the case to intervision or supervision.',
  },
  adaptApproach: {
    nl: 'Heroverweeg de eerste inschatting van de problemen en mogelijkheden, en overweeg de aanpak aan te passen.',
    en: 'Reconsider the initial assessment of problems and possibilities, and consider adapting the approach.',
  },
  safety: {
    nl: 'Neem zo snel mogelijk contact op met de cliënt en bespreek de veiligheid; volg het suïcidepreventieprotocol van je organisatie.',
    en: 'Contact the client as soon as possible and discuss safety; follow your organisation’s suicide-prevention protocol.',
  },
  considerEnding: {
    nl: 'Bespreek met de cliënt of de behandeling kan worden afgerond of afgebouwd, en hoe terugval te herkennen.',
    en: 'Discuss with the client whether treatment can be ended or tapered, and how to recognise relapse.',
  },
} as const satisfies Record<string, Bilingual>;

export type SuggestionKey = keyof typeof SUGGESTIONS;
