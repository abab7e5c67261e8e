import { describe, expect, it } from 'vitest';
import { applyCaseloadQuery } from './caseload-page.ts';
import type { CaseloadRow } from '../../store/feedback.ts';

const row = (clientCode: string, status: CaseloadRow['status'], openAlerts = 0, last = 0): CaseloadRow => ({
  episodeId: clientCode,
  clientCode,
  alias: null,
  modality: 'individual',
  startedOn: new Date(0),
  status,
  lastSession: 1,
  lastMeasuredAt: new Date(last),
  nextSession: 2,
  openAlerts,
  pendingInvitations: 0,
});
const rows = [
  row('C-3', 'on_track', 0, 3),
  row('C-1', 'recovered', 2, 1),
  row('C-2', 'risk', 1, 2),
  row('X-9', 'risk', 0, 4),
];

describe('applyCaseloadQuery', () => {
  it('puts what needs attention first by default', () => {
    expect(applyCaseloadQuery(rows, {}).map((r) => r.clientCode)).toEqual(['C-2', 'X-9', 'C-1', 'C-3']);
  });
  it('filters by status and searches by code', () => {
    expect(applyCaseloadQuery(rows, { status: 'risk', q: 'c-' }).map((r) => r.clientCode)).toEqual(['C-2']);
  });
  it('sorts by code, last measurement and open alerts', () => {
    expect(applyCaseloadQuery(rows, { sort: 'code' }).map((r) => r.clientCode)).toEqual(['C-1', 'C-2', 'C-3', 'X-9']);
    expect(applyCaseloadQuery(rows, { sort: 'last' }).map((r) => r.clientCode)).toEqual(['X-9', 'C-3', 'C-2', 'C-1']);
    expect(applyCaseloadQuery(rows, { sort: 'alerts' }).map((r) => r.clientCode)).toEqual(['C-1', 'C-2', 'C-3', 'X-9']);
  });
});
