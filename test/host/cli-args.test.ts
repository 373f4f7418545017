import { describe, expect, it } from 'vitest';
import { parseHostArgs } from '../../src-main/host/cli-args';

describe('host command line', () => {
  it('has safe defaults', () => {
    expect(parseHostArgs([])).toMatchObject({ dataDir: '.kasa-data', port: 4310, bind: '127.0.0.1', staticDir: 'dist/renderer', store: {} });
  });

  it('reads store settings for a first run', () => {
    const parsed = parseHostArgs(['--data-dir', '/d', '--port', '0', '--country', 'de', '--currency', 'eur', '--locale', 'de-DE', '--time-zone', 'Europe/Berlin', '--store-name', 'Mitte']);
    expect(parsed).toMatchObject({ dataDir: '/d', port: 0, store: { country: 'DE', currency: 'EUR', locale: 'de-DE', timeZone: 'Europe/Berlin', storeName: 'Mitte' } });
  });

  it('rejects bad options with the usage text', () => {
    expect(() => parseHostArgs(['--port', 'eighty'])).toThrow(/--port/);
    expect(() => parseHostArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseHostArgs(['--colour', 'red'])).toThrow(/Usage: npm run host/);
    expect(() => parseHostArgs(['--tls-cert', 'a.pem'])).toThrow(/go together/);
  });
});

describe('unattended enrolment flags', () => {
  it('takes a server and an enrolment code together, or neither', () => {
    expect(parseHostArgs(['--server', 'https://kasa.example.com', '--enrol-code', 'ABCD-EFGH-JKLM'])).toMatchObject({
      enrol: { serverUrl: 'https://kasa.example.com', code: 'ABCD-EFGH-JKLM' },
    });
    expect(parseHostArgs([]).enrol).toBeUndefined();
    expect(() => parseHostArgs(['--server', 'https://kasa.example.com'])).toThrow(/go together/);
  });
});

describe('enrolment flags passed to the Electron core process', () => {
  it('reads --server and --enrol-code from any command line, both or neither', async () => {
    const { enrolmentFlags } = await import('../../src-main/core/sync/unattended-enrol');
    expect(enrolmentFlags(['kasa', '--server', 'https://k.example', '--enrol-code', 'AB12-CD34'])).toEqual({ serverUrl: 'https://k.example', code: 'AB12-CD34' });
    expect(enrolmentFlags(['kasa'])).toBeNull();
    expect(() => enrolmentFlags(['--enrol-code', 'AB12-CD34'])).toThrow(/go together/);
  });
});
