// The periods of an insights query: every day, Monday-based week or month of its range, named as
// PostgreSQL's date_trunc names them, so the series the server answers has no gaps.
import { describe, expect, it } from 'vitest';
import { periodsOf } from '../../src-shared/insights/insights';

describe('periodsOf', () => {
  it('lists every day of the range, the first and last included, across a month end', () => {
    expect(periodsOf({ from: '2026-02-27', to: '2026-03-02', period: 'day' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(periodsOf({ from: '2026-03-10', to: '2026-03-10', period: 'day' })).toEqual(['2026-03-10']);
  });

  it('starts weeks on the Monday of the first day, as date_trunc does', () => {
    // 1 March 2026 is a Sunday: its week began on Monday 23 February.
    expect(periodsOf({ from: '2026-03-01', to: '2026-03-16', period: 'week' })).toEqual(['2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16']);
  });

  it('steps months from the first of the month, whatever day the range starts on', () => {
    expect(periodsOf({ from: '2026-01-31', to: '2026-03-01', period: 'month' })).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(periodsOf({ from: '2025-12-15', to: '2026-01-02', period: 'month' })).toEqual(['2025-12-01', '2026-01-01']);
  });
});
