// A manager imports a large product catalogue over the browser host's WebSocket (a standalone
// terminal): several megabytes in one JSON-RPC message, stored whole, then looked up by barcode.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gtinCheckDigit } from '../../src-shared/catalogue/gtin';
import { startHost, type RunningHost } from '../../src-main/host/host-server';
import { tempDir } from '../core/helpers';

let host: RunningHost;

beforeEach(async () => {
  const staticDir = tempDir('kasa-static-');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><html><head><title>Kasa</title></head><body></body></html>');
  host = await startHost({ dataDir: tempDir(), port: 0, staticDir });
});
afterEach(() => host.close());

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${encodeURIComponent(host.sessionToken)}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function rpc(ws: WebSocket, frame: unknown): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.method) return; // an event
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(frame));
  });
}

describe('catalogue import through the browser host', () => {
  it('takes a 40,000-product catalogue (several MB) in one message', async () => {
    const products = Array.from({ length: 40_000 }, (_, i) => {
      const body = `869${String(i).padStart(9, '0')}`;
      return { sku: `SKU-${i}`, name: `Product number ${i}`, category: i % 3 ? 'grocery' : 'drinks', unitPriceMinor: 100 + i, barcodes: [`${body}${gtinCheckDigit(body)}`] };
    });
    const text = JSON.stringify({ format: 1, version: 'big-local', currency: 'TRY', products });
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024);

    const ws = await connect();
    const setup = await rpc(ws, { jsonrpc: '2.0', id: 'setup', method: 'auth.setup', params: { name: 'Ayla', pin: '2580' } });
    expect(setup.result).toMatchObject({ role: 'manager' });
    const installed = await rpc(ws, { jsonrpc: '2.0', id: 1, method: 'catalogue.install', params: { catalogue: text } });
    expect(installed.result).toMatchObject({ version: 'big-local', replaced: null, catalogue: { products: 40_000, source: 'local' } });
    const last = products[39_999]?.barcodes[0];
    const found = await rpc(ws, { jsonrpc: '2.0', id: 2, method: 'catalogue.lookup', params: { barcode: last } });
    expect(found.result.product).toMatchObject({ sku: 'SKU-39999', unitPriceMinor: 40_099 });
    ws.close();
  });
});
