// The Linux install pieces for scanners and card readers: the deb post-install script, the udev rules and
// the usage-page helper they use (against a fake sysfs: no real hidraw device here).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../core/helpers';

const dir = path.resolve(__dirname, '../../native/linux');
const script = fs.readFileSync(path.join(dir, 'after-install.sh'), 'utf8');
const rules = fs.readFileSync(path.join(dir, '70-kasa-devices.rules'), 'utf8');
const helperFile = path.join(dir, 'kasa-hid-usage-page');
const helper = fs.readFileSync(helperFile, 'utf8');

const heredoc = (text: string, tag: string): string => {
  const start = text.indexOf(`<<'${tag}'\n`);
  const end = text.indexOf(`\n${tag}\n`, start);
  if (start < 0 || end < 0) throw new Error(`no ${tag} here-document`);
  return text.slice(start + `<<'${tag}'\n`.length, end + 1);
};

function fakeHidraw(descriptor: number[]): { sysfs: string; devpath: string } {
  const sysfs = tempDir('kasa-sysfs-');
  const devpath = '/devices/pci0000:00/usb1/1-1/1-1:1.0/0003:0C2E:0B81.0001/hidraw/hidraw0';
  fs.mkdirSync(path.join(sysfs, devpath, 'device'), { recursive: true });
  fs.writeFileSync(path.join(sysfs, devpath, 'device', 'report_descriptor'), Buffer.from(descriptor));
  return { sysfs, devpath };
}

const usagePageCheck = (fake: { sysfs: string; devpath: string }, page: string) =>
  spawnSync('sh', [helperFile, fake.devpath, page], { env: { ...process.env, KASA_SYSFS: fake.sysfs } }).status;

describe('native/linux', () => {
  it('after-install.sh is the file electron-builder.yml names, is valid bash once filled in, and uses only known placeholders', () => {
    expect(fs.readFileSync(path.resolve(__dirname, '../../electron-builder.yml'), 'utf8')).toMatch(/afterInstall: native\/linux\/after-install\.sh/);
    expect(fs.statSync(path.join(dir, 'after-install.sh')).mode & 0o111).not.toBe(0);
    // electron-builder replaces ${name} macros and fails the build on an unknown one.
    const macros = new Set([...script.matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]));
    expect([...macros].sort()).toEqual(['executable', 'sanitizedProductName']);
    const filled = script.replaceAll('${executable}', 'kasa').replaceAll('${sanitizedProductName}', 'Kasa');
    const file = path.join(tempDir('kasa-script-'), 'after-install.sh');
    fs.writeFileSync(file, filled);
    expect(spawnSync('bash', ['-n', file]).status).toBe(0);
    // Still does electron-builder's own steps, then Kasa's.
    expect(filled).toMatch(/ln -sf '\/opt\/Kasa\/kasa' '\/usr\/bin\/kasa'/);
    expect(filled).toMatch(/chrome-sandbox/);
    expect(filled).toMatch(/udevadm control --reload-rules/);
    expect(filled).toMatch(/dialout/);
  });

  it('installs exactly the rules file and the helper that ship beside it', () => {
    expect(heredoc(script, 'KASA_RULES')).toBe(rules);
    expect(heredoc(script, 'KASA_HELPER')).toBe(helper);
    expect(rules).toMatch(/PROGRAM=="\/usr\/lib\/kasa\/kasa-hid-usage-page %p 8c"/);
    for (const vendor of ['0c2e', '0536', '05e0', '05f9', '1eab', '23d0', '0801', '0acd']) {
      expect(rules).toContain(`ATTRS{idVendor}=="${vendor}", MODE="0660", GROUP="plugdev", TAG+="uaccess"`);
    }
    // Every rule line uses keys udev knows.
    for (const line of rules.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))) {
      for (const key of line.matchAll(/(^|, )([A-Z]+)(\{[^}]+\})?\+?[!=]?=/g)) expect(['ACTION', 'SUBSYSTEM', 'PROGRAM', 'ATTRS', 'MODE', 'GROUP', 'TAG', 'GOTO', 'LABEL']).toContain(key[2]);
    }
  });

  it('the helper finds usage page 0x8C in a HID POS report descriptor, and not in a keyboard one', () => {
    // Honeywell-style: Usage Page (0x8C) as a 2-byte item, Usage (Bar Code Scanner), Collection (Application).
    const hidPos = fakeHidraw([0x06, 0x8c, 0x00, 0x09, 0x02, 0xa1, 0x01, 0x85, 0x02, 0xc0]);
    const shortForm = fakeHidraw([0x05, 0x8c, 0x09, 0x02, 0xa1, 0x01, 0xc0]);
    const keyboard = fakeHidraw([0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0x05, 0x07, 0xc0]);
    // The bytes a0 58 c1 read as text contain "058c": only whole bytes may match.
    const straddling = fakeHidraw([0x05, 0x01, 0xa0, 0x58, 0xc1, 0xc0]);
    expect(usagePageCheck(hidPos, '8c')).toBe(0);
    expect(usagePageCheck(shortForm, '8C')).toBe(0);
    expect(usagePageCheck(keyboard, '8c')).toBe(1);
    expect(usagePageCheck(straddling, '8c')).toBe(1);
    expect(usagePageCheck({ sysfs: tempDir('kasa-sysfs-'), devpath: '/devices/none' }, '8c')).toBe(1);
  });

  it("after-remove.sh does electron-builder's steps, then removes the rules and helper on remove and purge, not on upgrade", () => {
    expect(fs.readFileSync(path.resolve(__dirname, '../../electron-builder.yml'), 'utf8')).toMatch(/afterRemove: native\/linux\/after-remove\.sh/);
    const removeScript = fs.readFileSync(path.join(dir, 'after-remove.sh'), 'utf8');
    expect(fs.statSync(path.join(dir, 'after-remove.sh')).mode & 0o111).not.toBe(0);
    expect([...new Set([...removeScript.matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]))].sort()).toEqual(['executable', 'sanitizedProductName']);
    const work = tempDir('kasa-remove-');
    const file = path.join(work, 'after-remove.sh');
    fs.writeFileSync(file, removeScript.replaceAll('${executable}', 'kasa').replaceAll('${sanitizedProductName}', 'Kasa'));
    expect(spawnSync('bash', ['-n', file]).status).toBe(0);
    // Stand-ins for the commands the script runs, which record their arguments (a mock: the real ones change this machine).
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin);
    for (const command of ['update-alternatives', 'udevadm']) {
      fs.writeFileSync(path.join(bin, command), `#!/bin/sh\necho "${command} $*" >> "${work}/calls"\n`, { mode: 0o755 });
    }
    const installed = (root: string) => {
      for (const f of ['etc/udev/rules.d/70-kasa-devices.rules', 'usr/lib/kasa/kasa-hid-usage-page']) {
        fs.mkdirSync(path.join(root, path.dirname(f)), { recursive: true });
        fs.writeFileSync(path.join(root, f), 'x');
      }
      return root;
    };
    const run = (action: string, root: string) => spawnSync('bash', [file, action], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, DPKG_ROOT: root } });

    const upgraded = installed(tempDir('kasa-root-'));
    expect(run('upgrade', upgraded).status).toBe(0);
    expect(fs.existsSync(path.join(upgraded, 'etc/udev/rules.d/70-kasa-devices.rules'))).toBe(true);
    expect(fs.existsSync(path.join(upgraded, 'usr/lib/kasa/kasa-hid-usage-page'))).toBe(true);

    for (const action of ['remove', 'purge']) {
      const root = installed(tempDir('kasa-root-'));
      expect(run(action, root).status).toBe(0);
      expect(fs.existsSync(path.join(root, 'etc/udev/rules.d/70-kasa-devices.rules')), action).toBe(false);
      expect(fs.existsSync(path.join(root, 'usr/lib/kasa')), action).toBe(false);
    }
    // electron-builder's own step ran each time; udev of this machine is not touched for another root.
    const calls = fs.readFileSync(path.join(work, 'calls'), 'utf8').trim().split('\n');
    expect(calls).toEqual(Array(3).fill('update-alternatives --remove kasa /opt/Kasa/kasa'));
  });
});
