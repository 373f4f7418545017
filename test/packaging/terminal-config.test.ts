// The installer's terminal config file: every field validated with an error naming it, the full
// example in docs/installation.md valid as written, and the host applying it with --config.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KasaError } from '../../src-shared/api/errors';
import { parseHostArgs } from '../../src-main/host/cli-args';
import { defaultConfigPath, loadTerminalConfig, parseTerminalConfig } from '../../src-main/core/terminal-config';
import { tempDir } from '../core/helpers';
import { minimalStaticDir, runHost } from '../host/host-process';

const root = path.resolve(__dirname, '../..');

function docExample(): unknown {
  const doc = fs.readFileSync(path.join(root, 'docs/installation.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Config file reference'));
  const match = /```json\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error('docs/installation.md has no ```json example under "Config file reference"');
  return JSON.parse(match[1]);
}

function errorOf(value: unknown): string {
  try {
    parseTerminalConfig(value);
  } catch (error) {
    expect(error).toBeInstanceOf(KasaError);
    expect((error as KasaError).code).toBe('VALIDATION');
    return (error as KasaError).message;
  }
  throw new Error(`accepted: ${JSON.stringify(value)}`);
}

describe('terminal config file', () => {
  it('accepts the full example from docs/installation.md as written', () => {
    const config = parseTerminalConfig(docExample());
    expect(config.store?.currency).toBe('TRY');
    expect(config.server?.url).toMatch(/^https:/);
    expect(config.devices?.length).toBeGreaterThan(0);
    // And every field the schema knows is in the example (a full example, kept full).
    const example = docExample() as Record<string, Record<string, unknown>>;
    expect(Object.keys(example).sort()).toEqual(['devices', 'kiosk', 'server', 'store', 'terminal']);
    expect(Object.keys(example.store ?? {}).sort()).toEqual(['country', 'currency', 'locale', 'redemptionVerification', 'storeName', 'timeZone']);
  });

  it('accepts an empty file: the wizard asks for the rest', () => {
    expect(parseTerminalConfig({})).toEqual({ kiosk: false });
  });

  const bad: [string, unknown, RegExp][] = [
    ['store.storeName', { store: { storeName: '' } }, /^ {2}store\.storeName: /m],
    ['store.country', { store: { country: 'Turkey' } }, /store\.country: an ISO 3166 country code such as TR/],
    ['store.currency', { store: { currency: 'lira' } }, /store\.currency: an ISO 4217 code such as TRY/],
    ['store.locale', { store: { locale: 'no such locale at all' } }, /store\.locale: /],
    ['store.timeZone', { store: { timeZone: 'Mars/Olympus' } }, /store\.timeZone: an IANA time zone/],
    ['store.redemptionVerification', { store: { redemptionVerification: 'always' } }, /store\.redemptionVerification: /],
    ['store (unknown field)', { store: { currencyy: 'TRY' } }, /store\.currencyy: unknown field/],
    ['terminal.name', { terminal: { name: '' } }, /terminal\.name: /],
    ['server.url', { server: { url: 'http://kasa.example.com', enrolCode: 'ABCDEFGH' } }, /server\.url: a server address like https:\/\/kasa\.example\.com \(plain http only/],
    ['server.url (not a URL)', { server: { url: 'kasa', enrolCode: 'ABCDEFGH' } }, /server\.url: /],
    ['server.enrolCode', { server: { url: 'https://kasa.example.com', enrolCode: '1' } }, /server\.enrolCode: the one-time code/],
    ['server (missing code)', { server: { url: 'https://kasa.example.com' } }, /server\.enrolCode: /],
    ['kiosk', { kiosk: 'yes' }, /kiosk: /],
    ['devices', { devices: {} }, /devices: /],
    ['devices.0.name', { devices: [{ name: '', config: { transport: 'serial', path: '/dev/ttyACM0' } }] }, /devices\.0\.name: /],
    ['devices.0.config.baudRate', { devices: [{ name: 'Scanner', config: { transport: 'serial', path: '/dev/ttyACM0', baudRate: 12 } }] }, /devices\.0\.config\.baudRate: /],
    ['devices.0.config.transport', { devices: [{ name: 'Scanner', config: { transport: 'bluetooth' } }] }, /devices\.0\.config\.transport: /],
    ['devices.0.config (hid without ids)', { devices: [{ name: 'Reader', config: { transport: 'hid' } }] }, /devices\.0\.config: give the device path/],
    ['top level (unknown field)', { stores: {} }, /stores: unknown field/],
  ];
  it.each(bad)('names the bad field: %s', (_field, value, expected) => {
    expect(errorOf(value)).toMatch(expected);
  });

  it('names every bad field at once', () => {
    const message = errorOf({ store: { currency: 'x', country: 'y' }, kiosk: 1 });
    expect(message).toMatch(/store\.currency: /);
    expect(message).toMatch(/store\.country: /);
    expect(message).toMatch(/kiosk: /);
  });

  it('reports an unreadable or malformed file by its name', () => {
    const dir = tempDir('kasa-config-');
    expect(() => loadTerminalConfig(path.join(dir, 'missing.json'))).toThrow(/Cannot read config file .*missing\.json/);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ "store": ');
    expect(() => loadTerminalConfig(path.join(dir, 'bad.json'))).toThrow(/bad\.json is not valid JSON/);
    fs.writeFileSync(path.join(dir, 'wrong.json'), JSON.stringify({ store: { currency: 'lira' } }));
    expect(() => loadTerminalConfig(path.join(dir, 'wrong.json'))).toThrow(/wrong\.json:\n {2}store\.currency: /);
  });

  it("reads a file as Windows tools save it: UTF-8 with a BOM, UTF-16 (PowerShell's Out-File); refuses ANSI, saying to save as UTF-8", () => {
    const dir = tempDir('kasa-config-');
    const json = JSON.stringify({ store: { storeName: 'Kadıköy' } });
    const files: [string, Buffer][] = [
      ['bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json, 'utf8')])],
      ['utf16le.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')])],
      ['utf16be.json', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(json, 'utf16le').swap16()])],
    ];
    for (const [name, bytes] of files) {
      fs.writeFileSync(path.join(dir, name), bytes);
      expect(loadTerminalConfig(path.join(dir, name)).store?.storeName, name).toBe('Kadıköy');
    }
    // Notepad's "ANSI" on a Turkish Windows (windows-1254): ı is 0xFD, ö 0xF6. Not a name with
    // replacement characters on every receipt: refused, naming the file and what to do.
    fs.writeFileSync(path.join(dir, 'ansi.json'), Buffer.from(json.replace('Kadıköy', 'Kad\u00fdk\u00f6y'), 'latin1'));
    expect(() => loadTerminalConfig(path.join(dir, 'ansi.json'))).toThrow(/ansi\.json is not UTF-8 text .*save it as UTF-8/);
  });

  it('has the documented machine-wide location on each platform', () => {
    expect(defaultConfigPath('linux', {})).toBe('/etc/kasa/terminal.json');
    expect(defaultConfigPath('win32', { ProgramData: 'C:\\ProgramData' })).toBe('C:\\ProgramData\\Kasa\\terminal.json');
    expect(defaultConfigPath('darwin', {})).toBe('/Library/Application Support/Kasa/terminal.json');
    const doc = fs.readFileSync(path.join(root, 'docs/installation.md'), 'utf8');
    for (const where of ['/etc/kasa/terminal.json', '%ProgramData%\\Kasa\\terminal.json', '/Library/Application Support/Kasa/terminal.json']) expect(doc).toContain(where);
  });

  it('takes --config FILE on the host', () => {
    expect(parseHostArgs(['--config', '/etc/kasa/terminal.json']).config).toBe('/etc/kasa/terminal.json');
    expect(parseHostArgs([]).config).toBeUndefined();
  });
});

describe('host started with --config', () => {
  const staticDir = minimalStaticDir();

  it('applies the store settings from the file, with flags winning, and adds its devices once', async () => {
    const dir = tempDir('kasa-config-');
    const configFile = path.join(dir, 'terminal.json');
    const dataDir = path.join(dir, 'data');
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        store: { storeName: 'Moda', currency: 'EUR', country: 'DE', locale: 'de-DE', timeZone: 'Europe/Berlin' },
        devices: [{ name: 'Counter scanner', enabled: false, config: { transport: 'serial', path: '/dev/kasa-test-none' } }],
      }),
    );
    const first = await runHost(['--data-dir', dataDir, '--static-dir', staticDir, '--config', configFile, '--time-zone', 'Europe/Istanbul'], 'config');
    first.stop();
    expect(first.code, first.stderr).toBeNull();
    expect(first.lines.find((l) => l.includes('"event":"config"'))).toContain('"devicesAdded":["Counter scanner"]');
    // Until it has exited the host holds the data folder (a fixed 500 ms was too short under load).
    await first.exited;

    // Read what the terminal kept, straight from its database.
    const { createTerminalCore } = await import('../../src-main/core/terminal-core');
    const core = createTerminalCore({ dataDir, sync: false });
    try {
      const status = core.dispatch('terminal.status', {}, { role: 'manager', userId: null });
      expect(status.ok && status.value).toMatchObject({ storeName: 'Moda', currency: 'EUR', country: 'DE', locale: 'de-DE', timeZone: 'Europe/Istanbul' });
      const devices = core.dispatch('devices.list', {}, { role: 'manager', userId: null });
      expect(devices.ok && (devices.value as { devices: { name: string }[] }).devices.map((d) => d.name)).toEqual(['Counter scanner']);
    } finally {
      core.close();
    }

    // Applied again at the next start: the device is not added twice.
    const second = await runHost(['--data-dir', dataDir, '--static-dir', staticDir, '--config', configFile], 'config');
    second.stop();
    await second.exited;
    expect(second.lines.find((l) => l.includes('"event":"config"'))).toContain('"devicesAdded":[]');
  });

  it('refuses to start on a bad file, naming the field, with exit code 2', async () => {
    const dir = tempDir('kasa-config-');
    const configFile = path.join(dir, 'terminal.json');
    fs.writeFileSync(configFile, JSON.stringify({ store: { currency: 'lira' } }));
    const result = await runHost(['--data-dir', path.join(dir, 'data'), '--static-dir', staticDir, '--config', configFile], 'config');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/store\.currency: an ISO 4217 code such as TRY/);
  });
});
