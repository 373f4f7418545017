import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempDir } from '../core/helpers';

const root = path.resolve(__dirname, '../..');
const MANAGER_PIN = '8642097531';
const CASHIER_PIN = '7531902468';
const WRONG_PIN = '9517538264';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('secrets at rest', () => {
  it('no PIN appears in any file the terminal writes (database, WAL, backups, logs)', async () => {
    const dataDir = tempDir('kasa-secrets-');
    const staticDir = tempDir('kasa-static-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
    const stdout = fs.openSync(path.join(dataDir, 'host.stdout.log'), 'w');
    const stderr = fs.openSync(path.join(dataDir, 'host.stderr.log'), 'w');
    const host = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src-main/host/cli.ts'), '--data-dir', dataDir, '--port', '0', '--static-dir', staticDir], {
      cwd: root,
      stdio: ['ignore', stdout, stderr],
    });
    try {
      let port = 0;
      for (let i = 0; i < 200 && !port; i += 1) {
        await new Promise((r) => setTimeout(r, 50));
        const line = fs.readFileSync(path.join(dataDir, 'host.stdout.log'), 'utf8').split('\n')[0];
        if (line?.startsWith('{')) port = JSON.parse(line).port;
      }
      expect(port).toBeGreaterThan(0);
      const token = fs.readFileSync(path.join(dataDir, 'host-session-token'), 'utf8');
      const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`);
      await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
      let id = 0;
      const rpc = (method: string, params: unknown) =>
        new Promise<any>((resolve) => {
          const myId = ++id;
          const onMessage = (data: WebSocket.RawData) => {
            const m = JSON.parse(data.toString());
            if (m.id !== myId) return;
            ws.off('message', onMessage);
            resolve(m);
          };
          ws.on('message', onMessage);
          ws.send(JSON.stringify({ jsonrpc: '2.0', id: myId, method, params }));
        });
      const manager = (await rpc('auth.setup', { name: 'Meral', pin: MANAGER_PIN })).result;
      const cashier = (await rpc('users.create', { name: 'Can', role: 'cashier', pin: CASHIER_PIN })).result;
      expect((await rpc('auth.signIn', { userId: cashier.userId, pin: WRONG_PIN })).error.data.code).toBe('UNAUTHENTICATED');
      expect((await rpc('auth.signIn', { userId: cashier.userId, pin: CASHIER_PIN })).result.name).toBe('Can');
      await rpc('members.enroll', { phone: '05321234567' });
      await rpc('users.create', { name: 'Ece', role: 'cashier', pin: '3692581470', managerOverride: { userId: manager.userId, pin: MANAGER_PIN } });
      await rpc('users.create', { name: 'Efe', role: 'cashier', pin: '1470258369', managerOverride: { userId: manager.userId, pin: WRONG_PIN } });
      // An invalid request that echoes its arguments in the error must not echo a PIN either.
      await rpc('auth.signIn', { userId: cashier.userId, pin: `${WRONG_PIN}x` });
      ws.close();
    } finally {
      host.kill('SIGKILL');
      await new Promise((r) => host.once('exit', r));
    }
    const files = filesUnder(dataDir);
    expect(files.some((f) => f.endsWith('kasa.db'))).toBe(true);
    for (const file of files) {
      const bytes = fs.readFileSync(file).toString('latin1');
      for (const pin of [MANAGER_PIN, CASHIER_PIN, WRONG_PIN, '3692581470', '1470258369']) {
        expect(bytes.includes(pin), `${pin} found in ${path.basename(file)}`).toBe(false);
      }
    }
  });
});
