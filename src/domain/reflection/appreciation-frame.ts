import { local, type LocalText } from './types.ts';

/**
 * The clinical intervention frame for receiving appreciation, from seed 002 (Frans van Paassen, "Over
 * het ontvangen van waardering"): seven intervention goals, each with concrete interventions, clinical
 * pitfalls and recommendations. The Dutch is quoted from the article's table (written for group
 * therapy); the English is the Spiegel project's translation.
 *
 * The article says the underlying principles are just as relevant for individual therapy. For the
 * individual frame Spiegel leaves out the two goals that need other group members (2 and 6) and adapts
 * goal 7 to the relationship of two; that adaptation is Spiegel's and is marked as such.
 */

export type FrameMode = 'individual' | 'group';

export interface FrameGoal {
  number: number;
  goal: LocalText;
  intervention: LocalText;
  pitfall: LocalText;
  recommendation: LocalText;
  /** Only for groups (needs other members). */
  groupOnly: boolean;
  /** The individual wording, where Spiegel adapted the group wording. */
  individual?: { intervention: LocalText; pitfall: LocalText; recommendation: LocalText };
}

export const APPRECIATION_FRAME: FrameGoal[] = [
  {
    number: 1,
    goal: local('Betekenis verkennen', 'Explore the meaning'),
    intervention: local(
      'Vraag naar de aanleiding en persoonlijke betekenis van de waardering.',
      'Ask what prompted the appreciation and what it means personally.',
    ),
    pitfall: local('Te snel rationaliseren of bagatelliseren.', 'Rationalising or playing it down too quickly.'),
    recommendation: local(
      'Blijf nieuwsgierig en open; gebruik open vragen en stiltes.',
      'Stay curious and open; use open questions and silences.',
    ),
    groupOnly: false,
  },
  {
    number: 2,
    goal: local('Rivaliteit benoemen', 'Name rivalry'),
    intervention: local(
      'Nodig groepsleden uit hun gevoelens te delen bij het horen van waardering.',
      'Invite group members to share their feelings on hearing the appreciation.',
    ),
    pitfall: local(
      'Schuldgevoel of defensieve reacties bij groepsleden.',
      'Guilt or defensive reactions in group members.',
    ),
    recommendation: local(
      'Normaliseer gevoelens van jaloezie; focus op exploratie, niet op oordeel.',
      'Normalise feelings of jealousy; focus on exploration, not judgement.',
    ),
    groupOnly: true,
  },
  {
    number: 3,
    goal: local('Overdracht onderzoeken', 'Explore transference'),
    intervention: local(
      'Leg voorzichtig verband tussen waardering en idealisering.',
      'Carefully link the appreciation to idealisation.',
    ),
    pitfall: local(
      'Overmatig analyseren kan de cliënt defensief maken.',
      'Over-analysing can make the client defensive.',
    ),
    recommendation: local(
      'Houd balans tussen erkennen en bevragen; laat ruimte voor emotie.',
      'Balance acknowledging and questioning; leave room for emotion.',
    ),
    groupOnly: false,
  },
  {
    number: 4,
    goal: local('Tegenoverdracht reflecteren', 'Reflect on countertransference'),
    intervention: local(
      'Sta stil bij eigen trots, ongemak of speciale-bandgevoelens.',
      'Pause on your own pride, discomfort or feelings of a special bond.',
    ),
    pitfall: local(
      'Onbewuste bevooroordeeldheid richting bepaalde cliënten.',
      'Unconscious bias towards particular clients.',
    ),
    recommendation: local(
      'Gebruik supervisie of intervisie; reflecteer intern voordat je handelt.',
      'Use supervision or intervision; reflect inwardly before you act.',
    ),
    groupOnly: false,
  },
  {
    number: 5,
    goal: local('Hier-en-nu benutten', 'Use the here and now'),
    intervention: local(
      'Vraag naar gevoelens in het moment bij het uiten en ontvangen van waardering.',
      'Ask about feelings in the moment of expressing and receiving appreciation.',
    ),
    pitfall: local(
      'Te abstract blijven zonder link naar actuele ervaring.',
      'Staying too abstract, without a link to present experience.',
    ),
    recommendation: local(
      'Verbind gevoelens direct met concrete interacties; geef woorden aan emoties.',
      'Connect feelings directly to concrete interactions; put emotions into words.',
    ),
    groupOnly: false,
  },
  {
    number: 6,
    goal: local('Wederkerigheid bevorderen', 'Foster reciprocity'),
    intervention: local(
      'Stimuleer dat cliënten ook elkaar waarderen.',
      'Encourage clients to appreciate each other too.',
    ),
    pitfall: local(
      'Vergelijking of competitie tussen leden kan escaleren.',
      'Comparison or competition between members can escalate.',
    ),
    recommendation: local(
      'Faciliteer een veilige structuur; benadruk dat waardering meerstemmig kan zijn.',
      'Provide a safe structure; stress that appreciation can come in many voices.',
    ),
    groupOnly: true,
  },
  {
    number: 7,
    goal: local('Metacommunicatie stimuleren', 'Encourage metacommunication'),
    intervention: local(
      'Bespreek wat waardering doet met de groepsdynamiek.',
      'Discuss what the appreciation does to the group dynamics.',
    ),
    pitfall: local(
      'Overmatige focus op het proces kan emotionele ervaringen onderdrukken.',
      'Too much focus on the process can suppress emotional experience.',
    ),
    recommendation: local(
      'Combineer procesreflectie met individuele beleving; benoem emoties en dynamiek.',
      'Combine process reflection with individual experience; name emotions and dynamics.',
    ),
    groupOnly: false,
    individual: {
      intervention: local(
        'Bespreek wat de waardering doet met jullie werkrelatie.',
        'Discuss what the appreciation does to your working relationship.',
      ),
      pitfall: local(
        'Overmatige focus op het proces kan emotionele ervaringen onderdrukken.',
        'Too much focus on the process can suppress emotional experience.',
      ),
      recommendation: local(
        'Combineer procesreflectie met de beleving van de cliënt; benoem emoties en wat er tussen jullie gebeurt.',
        'Combine process reflection with the client’s experience; name emotions and what happens between you.',
      ),
    },
  },
];

export const APPRECIATION_SOURCE: LocalText = local(
  'Frans van Paassen, “Over het ontvangen van waardering”, klinisch interventiekader: waardering in groepstherapie.',
  'Frans van Paassen, “Over het ontvangen van waardering” (on receiving appreciation), clinical intervention frame: appreciation in group therapy.',
);

export const INDIVIDUAL_ADAPTATION_NOTE: LocalText = local(
  'Individuele variant: de doelen 2 en 6 vragen om andere groepsleden en vallen weg; doel 7 is door Spiegel herschreven voor een relatie van twee. Het artikel noemt de onderliggende principes voor individuele therapie net zo relevant.',
  'Individual variant: goals 2 and 6 need other group members and are left out; goal 7 was rewritten by Spiegel for a relationship of two. The article calls the underlying principles just as relevant for individual therapy.',
);

export interface FrameStep {
  number: number;
  goal: LocalText;
  intervention: LocalText;
  pitfall: LocalText;
  recommendation: LocalText;
  adaptedBySpiegel: boolean;
}

/** The goals that apply to a mode, with the individual wording where Spiegel adapted it. */
export function frameSteps(mode: FrameMode): FrameStep[] {
  return APPRECIATION_FRAME.filter((g) => mode === 'group' || !g.groupOnly).map((g) => {
    const adapted = mode === 'individual' && g.individual !== undefined;
    const words = adapted ? g.individual! : g;
    return {
      number: g.number,
      goal: g.goal,
      intervention: words.intervention,
      pitfall: words.pitfall,
      recommendation: words.recommendation,
      adaptedBySpiegel: adapted,
    };
  });
}
