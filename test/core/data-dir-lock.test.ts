// One terminal process per data folder: a second core on the folder is refused and names the
// holder; the operating system lets go of the lock when the holder dies, SIGKILL included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOLDER_FILE } from '../../src-main/core/db/data-dir-lock';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { minimalStaticDir, runHost, type HostRun } from '../host/host-process';
import { call, openCore, tempDir } from './helpers';

const cores: TerminalCore[] = [];
const hosts: HostRun[] = [];

afterEach(async () => {
  for (const core of cores.splice(0)) core.close();
  for (const host of hosts.splice(0)) {
    host.stop();
    await host.exited;
  }
});

const listening = (run: HostRun) => JSON.parse(run.lines.find((l) => l.includes('"event":"listening"')) ?? '{}') as { terminalId?: string; startupFailed?: string };

describe("a till's data folder", () => {
  it('refuses a second core in the same process, naming the holder, and opens again once the first is closed', () => {
    const dir = tempDir();
    const first = openCore(dir);
    cores.push(first);
    const member = call(first, 'members.enroll', { phone: '+905321112233', name: 'Ayşe' }).member;
    expect(() => openCore(dir)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringContaining(`is in use by process ${process.pid} on ${os.hostname()}`) }));
    // The refused core changed nothing: the first one still works.
    expect(call(first, 'members.lookup', { phone: '+905321112233' }).member?.memberId).toBe(member.memberId);

    first.close();
    cores.splice(0);
    expect(fs.existsSync(path.join(dir, HOLDER_FILE))).toBe(false);
    const again = openCore(dir);
    cores.push(again);
    expect(again.terminalId).toBe(first.terminalId);
    expect(call(again, 'members.lookup', { phone: '+905321112233' }).member?.memberId).toBe(member.memberId);
  });

  it('a second host on the folder shows why it did not start; after a SIGKILL of the first, the next one starts on its data', async () => {
    const dir = tempDir();
    const staticDir = minimalStaticDir();
    const first = await runHost(['--data-dir', dir, '--static-dir', staticDir], 'listening');
    hosts.push(first);
    const terminalId = listening(first).terminalId;
    expect(terminalId).toBeTruthy();

    const second = await runHost(['--data-dir', dir, '--static-dir', staticDir], 'listening');
    hosts.push(second);
    expect(listening(second).startupFailed).toContain(`is in use by process ${first.pid} on ${os.hostname()}`);

    process.kill(first.pid, 'SIGKILL');
    await first.exited;
    const third = await runHost(['--data-dir', dir, '--static-dir', staticDir], 'listening');
    hosts.push(third);
    expect(listening(third).startupFailed).toBeUndefined();
    expect(listening(third).terminalId).toBe(terminalId);
  }, 60_000);
});
