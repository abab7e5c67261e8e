import { describe, expect, it } from 'vitest';
import { refitDue } from './jobs.ts';

describe('nightly refit schedule', () => {
  const lastNight = new Date('2026-11-21T02:30:00Z'); // 03:30 in Amsterdam (CET, UTC+1)
  it('fits an organisation that was never fitted at once, at any hour', () => {
    expect(refitDue(null, new Date('2026-11-22T13:00:00Z'))).toBe(true);
  });
  it('refits only between 02:00 and 05:00 Amsterdam time, once a night', () => {
    expect(refitDue(lastNight, new Date('2026-11-22T00:59:00Z'))).toBe(false); // 01:59 CET
    expect(refitDue(lastNight, new Date('2026-11-22T01:00:00Z'))).toBe(true); // 02:00 CET
    expect(refitDue(lastNight, new Date('2026-11-22T03:59:00Z'))).toBe(true); // 04:59 CET
    expect(refitDue(lastNight, new Date('2026-11-22T04:00:00Z'))).toBe(false); // 05:00 CET
    expect(refitDue(lastNight, new Date('2026-11-22T13:00:00Z'))).toBe(false); // daytime, however old
    expect(refitDue(new Date('2026-11-22T01:10:00Z'), new Date('2026-11-22T03:00:00Z'))).toBe(false); // already tonight
  });
  it('follows daylight saving time', () => {
    const summer = new Date('2026-07-01T00:30:00Z'); // 02:30 CEST (UTC+2)
    expect(refitDue(new Date('2026-06-30T00:30:00Z'), summer)).toBe(true);
    expect(refitDue(new Date('2026-06-30T00:30:00Z'), new Date('2026-07-01T03:00:00Z'))).toBe(false); // 05:00 CEST
  });
});
