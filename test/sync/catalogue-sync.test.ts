// The product catalogue from the server to the counter: the owner validates and installs it (admin
// route, audited), terminals apply it from the change feed or the snapshot, and a scanned barcode
// finds the product. Real server (PGlite and PostgreSQL), real terminal cores (SQLite files).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCatalogue } from '../../src-server/catalogue';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, callError } from '../core/helpers';
import { ADMIN_TOKEN, ENGINES, http, startTestServer } from '../server/server-harness';
import { enrolTerminal, manager, openTerminal, syncNow } from './sync-harness';

const TEA = { sku: 'TEA-1', name: 'Black tea 500 g', category: 'grocery', unitPriceMinor: 8950, barcodes: ['4006381333931'] };
const SODA = { sku: 'SODA-330', name: 'Soda 330 ml', category: 'drinks', unitPriceMinor: 1500, barcodes: ['036000291452'] };
const catalogue = (version: string, products: unknown[] = [TEA, SODA], currency = 'TRY') => ({ format: 1, version, currency, products });

describe.each(ENGINES)('catalogue through sync on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  const cores: TerminalCore[] = [];
  beforeAll(async () => {
    ctx = await startTestServer(engine);
  });
  afterAll(async () => {
    for (const core of cores) core.close();
    await ctx.close();
  });

  it('validates and installs through the admin route (audited), and an enrolled terminal sells by barcode after a sync', async () => {
    const core = openTerminal();
    cores.push(core);
    await enrolTerminal(core, ctx.server);

    expect((await http(ctx.server, 'POST', '/v1/admin/catalogues', { catalogue: catalogue('c1') })).status).toBe(401);
    const checked = await http(ctx.server, 'POST', '/v1/admin/catalogues/validate', { catalogue: catalogue('c1', [{ ...TEA, barcodes: ['4006381333932'] }, TEA]) }, ADMIN_TOKEN);
    expect(checked.body).toMatchObject({
      ok: false,
      problems: [
        { path: 'products[0].barcodes[0]', message: 'check digit is wrong: 400638133393 needs 1, not 2', code: 'gtin-check-digit' },
        { path: 'products[1].sku', message: 'duplicate SKU "TEA-1" (also products[0])', code: 'duplicate-sku' },
      ],
    });
    const refused = await http(ctx.server, 'POST', '/v1/admin/catalogues', { catalogue: catalogue('c1', [{ ...TEA, unitPriceMinor: -5 }]) }, ADMIN_TOKEN);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION', details: { problems: [{ path: 'products[0].unitPriceMinor', message: 'must be at least 0' }] } });

    const installed = await http(ctx.server, 'POST', '/v1/admin/catalogues', { catalogue: catalogue('c1') }, ADMIN_TOKEN);
    expect(installed.status).toBe(200);
    expect(installed.body).toMatchObject({ installed: true, catalogue: { version: 'c1', currency: 'TRY', products: 2, installedBy: 'admin-api' } });
    const audit = await ctx.server.db.query<{ actor: string; details: unknown }>("SELECT actor, details FROM admin_audit WHERE action = 'catalogue.install'");
    expect(audit).toEqual([{ actor: 'admin-api', details: { version: 'c1', products: 2, reinstalled: false } }]);

    await syncNow(core);
    expect(call(core, 'catalogue.lookup', { barcode: '4006381333931' })).toMatchObject({ product: TEA, catalogue: { version: 'c1', source: 'server' } });
    const scan = call(core, 'devices.keyboardScan', { text: '0036000291452' });
    expect(scan.product).toMatchObject({ sku: 'SODA-330', unitPriceMinor: 1500 });
    // The terminal keeps the catalogue's description, not a second copy of its products.
    const kept = core.context.db.prepare("SELECT payload FROM server_documents WHERE dataset = 'catalogue'").get() as { payload: string };
    expect(JSON.parse(kept.payload)).toEqual({ version: 'c1', name: null, currency: 'TRY', products: 2 });
    // Connected to a server: the server's catalogue is the one; a local import is refused with the reason.
    expect(callError(core, 'catalogue.install', { catalogue: catalogue('local-1') }, manager)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/takes its product catalogue from there/) });
  });

  it('replaces the catalogue with a new version, keeps versions immutable, and ignores one in another currency', async () => {
    const core = cores[0] as TerminalCore;
    const db = ctx.server.db;
    await expect(installCatalogue(db, 'owner', catalogue('c1', [TEA]))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(await installCatalogue(db, 'owner', catalogue('c1'))).toMatchObject({ installed: false });
    expect(await installCatalogue(db, 'owner', catalogue('c2', [{ ...TEA, unitPriceMinor: 9950 }]))).toMatchObject({ installed: true, catalogue: { version: 'c2', products: 1 } });
    await syncNow(core);
    expect(call(core, 'catalogue.lookup', { sku: 'TEA-1' }).product?.unitPriceMinor).toBe(9950);
    expect(call(core, 'catalogue.lookup', { barcode: '036000291452' })).toMatchObject({ product: null, catalogue: { version: 'c2' } });
    expect(call(core, 'devices.keyboardScan', { text: '036000291452' }).message).toBe('Unknown product: UPC-A 036000291452 is not in the catalogue (c2). Key the amount by category');

    await installCatalogue(db, 'owner', catalogue('c3-eur', [TEA], 'EUR'));
    await syncNow(core);
    expect(call(core, 'catalogue.lookup', { sku: 'TEA-1' })).toMatchObject({ product: { unitPriceMinor: 9950 }, catalogue: { version: 'c2' } });

    // Making an older version current again publishes it again.
    expect(await installCatalogue(db, 'owner', catalogue('c1'))).toMatchObject({ installed: true, catalogue: { version: 'c1' } });
    await syncNow(core);
    expect(call(core, 'catalogue.lookup', { sku: 'SODA-330' }).catalogue?.version).toBe('c1');
    const listed = await http(ctx.server, 'GET', '/v1/admin/catalogues', undefined, ADMIN_TOKEN);
    expect(listed.body).toMatchObject({ current: 'c1', catalogues: [{ version: 'c1' }, { version: 'c3-eur' }, { version: 'c2' }] });
  });

  it('a terminal enrolled later gets the current catalogue with its snapshot; a large catalogue travels whole', async () => {
    const products = Array.from({ length: 12_000 }, (_, i) => {
      const body = `869${String(i).padStart(9, '0')}`;
      let sum = 0;
      for (let j = body.length - 1, w = 3; j >= 0; j -= 1, w = 4 - w) sum += Number(body[j]) * w;
      return { sku: `SKU-${i}`, name: `Product ${i}`, category: i % 2 ? 'grocery' : 'drinks', unitPriceMinor: 100 + i, barcodes: [`${body}${(10 - (sum % 10)) % 10}`] };
    });
    const big = await http(ctx.server, 'POST', '/v1/admin/catalogues', { catalogue: catalogue('big-1', products) }, ADMIN_TOKEN);
    expect(big.status).toBe(200);
    const late = openTerminal();
    cores.push(late);
    await enrolTerminal(late, ctx.server);
    await syncNow(late);
    expect(call(late, 'catalogue.lookup', { sku: 'SKU-11999' })).toMatchObject({ product: { unitPriceMinor: 12_099 }, catalogue: { version: 'big-1', products: 12_000 } });
    const last = products[11_999]?.barcodes[0] as string;
    expect(call(late, 'catalogue.lookup', { barcode: last }).product?.sku).toBe('SKU-11999');
    // More than 1 MB of JSON: the admin route takes catalogues beyond the default body limit.
    expect(JSON.stringify(products).length).toBeGreaterThan(1024 * 1024);
  });
});
