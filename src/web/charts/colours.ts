/**
 * One colour per participant, by their position in the episode, the same in every chart, table key and
 * alert. Chosen to stay distinct for common colour-vision deficiencies and to reach 4.5:1 on white.
 */
export const PARTICIPANT_COLOURS = ['#1d5c8f', '#8a4b00', '#5b2a86', '#1e6b3a', '#a4161a', '#4a5360'] as const;

export function participantColour(index: number): string {
  return PARTICIPANT_COLOURS[
    ((index % PARTICIPANT_COLOURS.length) + PARTICIPANT_COLOURS.length) % PARTICIPANT_COLOURS.length
  ];
}
