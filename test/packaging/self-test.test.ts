// The startup self-test: every native module, the database and device enumeration reported as
// named checks, and a missing native module reported clearly rather than crashing the start.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NATIVE_MODULES, runSelfTest } from '../../src-main/core/self-test';
import { createTerminalCore } from '../../src-main/core/terminal-core';
import { tempDir } from '../core/helpers';

describe('startup self-test', () => {
  it('passes on a working install: modules with version and ABI, database, devices', async () => {
    const dataDir = tempDir('kasa-selftest-');
    createTerminalCore({ dataDir, sync: false }).close();
    const report = await runSelfTest({ dataDir });
    expect(report.checks.map((c) => c.name)).toEqual([...NATIVE_MODULES.map((m) => `module ${m}`), 'database', 'serial ports', 'HID devices']);
    for (const check of report.checks.slice(0, 3)) {
      expect(check.ok, check.detail).toBe(true);
      expect(check.detail).toMatch(/\d+\.\d+\.\d+ \(ABI \d+, N-API \d+\)/);
    }
    expect(report.checks.find((c) => c.name === 'database')?.detail).toMatch(/kasa\.db opened/);
    // Enumeration works on a machine with no devices too; a test box may have none.
    for (const name of ['serial ports', 'HID devices']) expect(report.checks.find((c) => c.name === name)?.detail).toMatch(/found|did not answer/);
  });

  it('reports a missing native module by name, with the path and ABI, and what it prevents', async () => {
    const missing = path.join(tempDir('kasa-selftest-'), 'no-such-dir', 'better_sqlite3.node');
    const report = await runSelfTest({ dataDir: tempDir('kasa-selftest-'), modulePaths: { 'better-sqlite3': missing } });
    expect(report.ok).toBe(false);
    const module = report.checks.find((c) => c.name === 'module better-sqlite3');
    expect(module?.ok).toBe(false);
    expect(module?.detail).toContain(`better-sqlite3 did not load from ${missing}`);
    expect(module?.detail).toMatch(/Cannot find module .*\(ABI \d+/);
    expect(report.checks.find((c) => c.name === 'database')).toMatchObject({ ok: false, detail: expect.stringContaining('better-sqlite3 did not load') });
    // The other modules are still checked and reported.
    expect(report.checks.find((c) => c.name === 'module node-hid')?.ok).toBe(true);
  });

  it('reports missing device modules without hanging, and a database that cannot open', async () => {
    // A data "folder" under a plain file can never be created.
    const file = path.join(tempDir('kasa-selftest-'), 'a-file');
    fs.writeFileSync(file, '');
    const report = await runSelfTest({
      dataDir: path.join(file, 'data'),
      modulePaths: { 'node-hid': '/nonexistent/node-hid', serialport: '/nonexistent/serialport' },
      deviceTimeoutMs: 1000,
    });
    expect(report.checks.find((c) => c.name === 'HID devices')).toMatchObject({ ok: false, detail: 'not enumerated: node-hid did not load' });
    expect(report.checks.find((c) => c.name === 'serial ports')).toMatchObject({ ok: false, detail: 'not enumerated: serialport did not load' });
    expect(report.checks.find((c) => c.name === 'database')).toMatchObject({ ok: false, detail: expect.stringMatching(/did not open: /) });
  });

  it('runs on demand as terminal.selfTest (manager), its result matching the contract', async () => {
    const core = createTerminalCore({ dataDir: tempDir('kasa-selftest-'), sync: false, checkResults: true });
    try {
      const result = await core.dispatchAsync('terminal.selfTest', {}, { role: 'manager', userId: null });
      expect(result.ok).toBe(true);
      if (result.ok) {
        const report = result.value as { checks: { name: string; ok: boolean }[] };
        expect(report.checks.find((c) => c.name === 'database')?.ok).toBe(true);
        expect(report.checks.filter((c) => c.name.startsWith('module ')).every((c) => c.ok)).toBe(true);
      }
    } finally {
      core.close();
    }
  });
});
