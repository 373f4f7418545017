import { describe, expect, it } from 'vitest';
import { describeLockHolder, lockHolderJson, parseLockHolder } from '../../src-shared/domain/lock-holder';

describe('the holder file of a data folder lock', () => {
  it('reads back what it wrote, and describes it', () => {
    const holder = parseLockHolder(lockHolderJson(4242, 'till-3', new Date('2026-12-01T06:00:00.000Z')));
    expect(holder).toEqual({ pid: 4242, hostname: 'till-3', since: '2026-12-01T06:00:00.000Z' });
    expect(describeLockHolder(holder)).toBe('process 4242 on till-3, since 2026-12-01T06:00:00.000Z');
  });

  it('names nobody for a missing, partly written or foreign file', () => {
    for (const text of [null, '', '{"pid":42,"hostn', 'null', '[]', '{"pid":"42","hostname":"a","since":"b"}', '{"pid":4.5,"hostname":"a","since":"b"}', '{"pid":42,"since":"b"}']) {
      expect(parseLockHolder(text), String(text)).toBeNull();
    }
    expect(describeLockHolder(null)).toBe('another process');
  });
});
