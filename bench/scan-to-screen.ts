// Scan-to-screen latency through the browser host in Chromium: from the last byte of a barcode written to a
// real serial pty (socat) to the member's name in the member panel, over 200 scans that alternate between
// two members. Beside it, the raw baseline measured in the same run: the same pty write to the device.scan
// event received by a Node WebSocket client of the host, with no browser. Times are taken in Node only (the
// page reports through an exposed function), so the screen figures include one CDP hop: an upper bound.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startHost } from '../src-main/host/host-server';
import type { MethodResult } from '../src-shared/api/contract';
import type { CallerContext } from '../src-main/core/handlers/handler-types';
import { SocatPair, sleep, waitUntil } from '../test/devices-core/socat-pair';
import { createFirstManager, launchChromium } from '../test/e2e/browser';
import { report, round, scaled } from './bench-util';

const SCANS = Number(process.env.KASA_BENCH_SCANS ?? scaled(200, 5));
const WARMUP = 10;
// A cashier scans seconds apart; this only lets each member's history and sale preview finish first.
const PAUSE_MS = 100;
const manager: CallerContext = { role: 'manager', userId: null };
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const now = () => process.hrtime.bigint();
const ms = (from: bigint, to: bigint) => Number(to - from) / 1e6;

function figures(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 2);
  return { scans: samples.length, unit: 'ms', p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted[sorted.length - 1] ?? 0, 2) };
}

const rendererDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/renderer');
if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error('run npm run build:renderer first');
const dataDir = tmp('kasa-bench-scan-');
const host = await startHost({ dataDir, port: 0, staticDir: rendererDir, store: { locale: 'en-GB' } });
const pair = await SocatPair.start(tmp('kasa-bench-pty-'));
const { browser, close: closeBrowser } = await launchChromium();
try {
  const members = ['Ayşe Yılmaz', 'Mehmet Demir'].map((name, i) => {
    const enrolled = host.core.dispatch('members.enroll', { phone: `0532 123 45 6${i}`, name }, manager);
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    const card = `LOY-00012345${i}`;
    const { member } = enrolled.value as MethodResult<'members.enroll'>;
    const linked = host.core.dispatch('members.linkCard', { memberId: member.memberId, loyaltyCardNumber: card }, manager);
    if (!linked.ok) throw new Error(linked.error.message);
    return { name, card };
  });
  const configured = host.core.dispatch('devices.configure', { deviceId: 'bench', name: 'Bench scanner', config: { transport: 'serial', path: pair.scannerPath, terminator: 'cr' } }, manager);
  if (!configured.ok) throw new Error(configured.error.message);
  await waitUntil(() => host.core.devices.list({}).devices.some((d) => d.status.state === 'connected'), 'the scanner to connect');

  // 1. Raw baseline: pty -> core -> device.scan on a Node WebSocket client of the host; no browser.
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${encodeURIComponent(host.sessionToken)}`);
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  let onEvent: ((at: bigint) => void) | null = null;
  ws.on('message', (data) => {
    const at = now();
    const message = JSON.parse(String(data)) as { method?: string };
    if (message.method === 'device.scan') onEvent?.(at);
  });
  const raw: number[] = [];
  for (let i = 0; i < SCANS + WARMUP; i += 1) {
    const received = new Promise<bigint>((resolve) => (onEvent = resolve));
    pair.write(`${members[i % 2]?.card ?? ''}\r`);
    const written = now();
    const at = await received;
    if (i >= WARMUP) raw.push(ms(written, at));
    await sleep(PAUSE_MS);
  }
  ws.close();

  // 2. Through Chromium: pty -> core -> WebSocket -> renderer -> members.get -> the member panel's heading.
  const page = await browser.newPage();
  await page.goto(host.url);
  // The first-run wizard, as the e2e tests walk it, up to the counter.
  await createFirstManager(page);

  let onShown: ((name: string, at: bigint) => void) | null = null;
  let onPainted: ((name: string, at: bigint) => void) | null = null;
  await page.exposeFunction('kasaBenchShown', (name: string) => onShown?.(name, now()));
  await page.exposeFunction('kasaBenchPainted', (name: string) => onPainted?.(name, now()));
  await page.evaluate(() => {
    const w = window as unknown as { kasaBenchShown(name: string): void; kasaBenchPainted(name: string): void };
    let last = '';
    new MutationObserver(() => {
      const name = document.querySelector('.member h2')?.textContent ?? '';
      if (name === last) return;
      last = name;
      if (!name) return;
      w.kasaBenchShown(name);
      // The frame after the DOM change: the name is on the glass.
      requestAnimationFrame(() => setTimeout(() => w.kasaBenchPainted(name), 0));
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  const screen: number[] = [];
  const painted: number[] = [];
  for (let i = 0; i < SCANS + WARMUP; i += 1) {
    const member = members[i % 2];
    if (!member) throw new Error('no member');
    const until = (set: (fn: (name: string, at: bigint) => void) => void) =>
      new Promise<bigint>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`scan ${i}: ${member.name} never shown`)), 10_000);
        set((name, at) => {
          if (name !== member.name) return;
          clearTimeout(timer);
          resolve(at);
        });
      });
    const shown = until((fn) => (onShown = fn));
    const paint = until((fn) => (onPainted = fn));
    pair.write(`${member.card}\r`);
    const written = now();
    const [shownAt, paintedAt] = await Promise.all([shown, paint]);
    if (i >= WARMUP) {
      screen.push(ms(written, shownAt));
      painted.push(ms(written, paintedAt));
    }
    await sleep(PAUSE_MS);
  }
  await page.close();

  const baseline = figures(raw);
  const toScreen = figures(screen);
  report('scan-to-event baseline (serial pty -> device.scan at a Node WebSocket client, no browser)', baseline);
  report('scan-to-screen (serial pty -> member name in the DOM, Chromium via the host)', { ...toScreen, overBaselineP50: round(toScreen.p50 - baseline.p50, 2), target: 'p95 < 50 ms', meetsTarget: toScreen.p95 < 50 });
  report('scan-to-paint (serial pty -> next animation frame after the name, Chromium via the host)', { ...figures(painted), target: 'p95 < 50 ms', meetsTarget: figures(painted).p95 < 50 });
} finally {
  await closeBrowser();
  await pair.stop();
  await host.close();
  await host.core.devices.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(pair.dir, { recursive: true, force: true });
}
