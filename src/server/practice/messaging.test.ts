import { describe, expect, it } from 'vitest';
import { composeInvitation } from './messaging.ts';
import { pxText } from './texts.ts';
import type { ClaimedSend } from '../../store/sends.ts';

const send = (lang: 'nl' | 'en', kind: ClaimedSend['kind'] = 'scheduled'): ClaimedSend => ({
  id: 's',
  orgId: 'o',
  orgName: 'Praktijk Test',
  episodeId: 'e',
  kind,
  channel: 'email',
  to: 'p@example.test',
  lang,
  sessionNumber: 2,
  plannedAt: new Date('2026-03-02T10:00:00Z'),
  invitation: {
    id: 'i',
    token: 'tok',
    expiresAt: new Date('2026-03-09T10:00:00Z'),
    instrumentIds: ['phq9'],
    sessionNumber: 2,
  },
});

describe('invitation messages', () => {
  it('are written in the participant’s language, Dutch by default', () => {
    for (const lang of ['nl', 'en'] as const) {
      for (const kind of ['scheduled', 'reminder'] as const) {
        const mail = composeInvitation(send(lang, kind), 'https://spiegel.test');
        expect(mail.subject).toBe(pxText(lang, kind === 'reminder' ? 'mail.reminder.subject' : 'mail.invite.subject'));
        expect(mail.text).toContain('https://spiegel.test/m/tok');
        expect(mail.sms).toContain('https://spiegel.test/m/tok');
      }
    }
    const nl = composeInvitation(send('nl'), 'https://x.test');
    const en = composeInvitation(send('en'), 'https://x.test');
    expect(en.text).not.toBe(nl.text);
    expect(en.sms).not.toBe(nl.sms);
    expect(en.text).toContain('March');
    expect(nl.text).toContain('maart');
  });
});
