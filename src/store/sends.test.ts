import { describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGING, messagingSettings } from './sends.ts';

describe('messaging settings', () => {
  it('take the reminder delay from the measurement defaults when the messaging page set none', () => {
    expect(messagingSettings({}).reminderAfterHours).toBe(DEFAULT_MESSAGING.reminderAfterHours);
    expect(messagingSettings({ measurementDefaults: { reminderAfterDays: 3 } }).reminderAfterHours).toBe(72);
    expect(messagingSettings({ measurementDefaults: { reminderAfterDays: 0 } }).reminderAfterHours).toBe(0);
    expect(
      messagingSettings({
        measurementDefaults: { reminderAfterDays: 3 },
        invitationMessages: { reminderAfterHours: 6 },
      }).reminderAfterHours,
    ).toBe(6);
  });
});
