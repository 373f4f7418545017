import { describe, expect, it } from 'vitest';
import { listenFailure } from '../../src-shared/api/listen-failure';

const flags = { port: '--port', address: '--host' };
const failure = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

describe('a port that could not be listened on', () => {
  it('says what to do for a port in use, a port needing rights, and an address not of this machine', () => {
    expect(listenFailure(failure('EADDRINUSE'), '127.0.0.1', 8080, flags)).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('Port 8080 on 127.0.0.1 is in use by another program (or another Kasa): start with another --port') });
    expect(listenFailure(failure('EACCES'), '0.0.0.0', 80, flags)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('choose --port 1024 or above') });
    expect(listenFailure(failure('EADDRNOTAVAIL'), '10.9.9.9', 8080, flags)).toMatchObject({ code: 'VALIDATION', message: '10.9.9.9 is not an address of this machine: check --host' });
  });

  it('leaves any other failure as it is', () => {
    for (const error of [failure('ECONNRESET'), new Error('no code'), null, 'text']) expect(listenFailure(error, '127.0.0.1', 8080, flags)).toBeNull();
  });
});
