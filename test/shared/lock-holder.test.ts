import { describe, expect, it } from 'vitest';
import { describeLockHolder, readLockHolder, writeLockHolder } from '../../src-shared/domain/lock-holder';

describe('the holder file of a data folder lock', () => {
  it('reads back what it wrote, and describes it', () => {
    let file = '';
    writeLockHolder((text) => (file = text), { pid: 4242, hostname: 'till-3', since: new Date('2026-12-01T06:00:00.000Z') });
    const holder = readLockHolder(() => file);
    expect(holder).toEqual({ pid: 4242, hostname: 'till-3', since: '2026-12-01T06:00:00.000Z' });
    expect(describeLockHolder(holder)).toBe('process 4242 on till-3, since 2026-12-01T06:00:00.000Z');
  });

  it('names nobody for a missing, partly written or foreign file', () => {
    const missing = () => {
      throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    };
    expect(readLockHolder(missing)).toBeNull();
    for (const text of ['', '{"pid":42,"hostn', 'null', '[]', '{"pid":"42","hostname":"a","since":"b"}', '{"pid":4.5,"hostname":"a","since":"b"}', '{"pid":42,"since":"b"}']) {
      expect(readLockHolder(() => text), text).toBeNull();
    }
    expect(describeLockHolder(null)).toBe('another process');
  });

  it('a holder that cannot be written (a full disk) is not an error: the lock holds without it', () => {
    const full = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    expect(() => writeLockHolder(full, { pid: 1, hostname: 'till-3', since: new Date() })).not.toThrow();
  });
});
