import { describe, expect, it } from 'vitest';
import {
  applyPseudonyms,
  codebookCsv,
  codebookQdc,
  pseudonymSuggestions,
  readCodebook,
  transcriptText,
} from './transcripts.ts';
import { demoProject } from './demo.ts';

describe('transcripts', () => {
  it('keeps the cues and speakers of WebVTT and SubRip files and drops timings and notes', () => {
    const vtt =
      'WEBVTT\n\nNOTE recorded\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Waarom koos je dit vak?\n\n2\n00:00:05.000 --> 00:00:09.000\n<v P01>Door mijn moeder,\ndenk ik.\n';
    expect(transcriptText('p01.vtt', vtt)).toBe(
      'Interviewer: Waarom koos je dit vak?\nP01: Door mijn moeder, denk ik.\n',
    );
    const srt =
      '1\r\n00:00:01,000 --> 00:00:04,000\r\nEerste zin.\r\n\r\n2\r\n00:00:05,000 --> 00:00:06,000\r\nTweede <i>zin</i>.\r\n';
    expect(transcriptText('x.srt', srt)).toBe('Eerste zin.\nTweede zin.\n');
    expect(transcriptText('x.txt', '\uFEFFa\r\nb  \n\n')).toBe('a\nb\n');
  });

  it('refuses other file types and empty subtitles with QUAL_IMPORT_INVALID', () => {
    expect(() => transcriptText('x.pdf', 'a')).toThrow(expect.objectContaining({ code: 'QUAL_IMPORT_INVALID' }));
    expect(() => transcriptText('x.srt', 'no cues')).toThrow(expect.objectContaining({ code: 'QUAL_IMPORT_INVALID' }));
  });

  it('reads back its own CSV and .qdc codebooks with parents, equivalence, order and colours', () => {
    const codes = demoProject().codes;
    const fromCsv = readCodebook('codes.csv', codebookCsv(codes));
    expect(fromCsv.map((c) => c.label)).toEqual([...codes].sort((a, b) => a.order - b.order).map((c) => c.label));
    const withEquivalent = codes.find((c) => c.equivalentTo);
    if (withEquivalent)
      expect(fromCsv.find((c) => c.label === withEquivalent.label)?.equivalent).toBe(
        codes.find((c) => c.id === withEquivalent.equivalentTo)!.label,
      );
    const fromQdc = readCodebook('codes.qdc', codebookQdc('p', codes));
    expect(fromQdc.map((c) => `${c.label}|${c.name}|${c.colour}|${c.parent ?? ''}`).sort()).toEqual(
      fromCsv.map((c) => `${c.label}|${c.name}|${c.colour}|${c.parent ?? ''}`).sort(),
    );
  });

  it('refuses a CSV codebook without labels or with a duplicate label', () => {
    expect(() => readCodebook('c.csv', 'naam\nx\n')).toThrow(expect.objectContaining({ code: 'QUAL_IMPORT_INVALID' }));
    expect(() => readCodebook('c.csv', 'label,name\n1A,a\n1A,b\n')).toThrow(
      expect.objectContaining({ code: 'QUAL_IMPORT_INVALID' }),
    );
  });

  it('suggests capitalised words inside sentences and replaces whole words only', () => {
    const text = 'Ik werkte in Utrecht bij Altrecht. Daarna ging ik naar Utrecht terug.\nAnna zei dat.';
    expect(pseudonymSuggestions(text)).toEqual([
      { word: 'Utrecht', count: 2 },
      { word: 'Altrecht', count: 1 },
    ]);
    expect(applyPseudonyms(text, { Utrecht: '[stad]', Altrecht: '[instelling]' })).toBe(
      'Ik werkte in [stad] bij [instelling]. Daarna ging ik naar [stad] terug.\nAnna zei dat.',
    );
  });
});
