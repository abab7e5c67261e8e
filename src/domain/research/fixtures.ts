/** A small branching survey (project-authored wording) used by tests and the browser test. */
export const BRANCHING_SURVEY = `
choice gender qi required | Wat is je geslacht? | 1=Man; 2=Vrouw
numeric age min=21 max=80 | Wat is je leeftijd?
yesno cried required | Heb je ooit gehuild tijdens een therapiesessie?
numeric lump if cried=ja min=0 max=365 | Hoe vaak had je het afgelopen jaar een brok in je keel?
open why if cried=nee | Waarom denk je dat je nooit huilt tijdens een sessie?
likert7 att1 | Een therapeut mag tijdens therapie best weleens huilen.
likert7 att2 reverse | Een therapeut die huilt is niet geschikt als therapeut.
likert7 att3 | Tranen van een therapeut kunnen het proces helpen.
likert7 check instructed=2 | Kies bij deze vraag 2.
scale attitude mean minvalid=2 | Attitude tegenover huilende therapeuten | att1 att2 att3
`;
