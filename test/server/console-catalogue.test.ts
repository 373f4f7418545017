// Catalogue routes of the console on both engines: the check answers every problem with its code and
// facts, or what installing would change against the current catalogue and whether the version is
// taken; a taken version is refused naming it; the list is newest first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCatalogue } from '../../src-shared/catalogue/catalogue';
import { ENGINES, http, startConsoleServer } from './console-harness';

const TEA = { sku: 'TEA-1', name: 'Black tea 500 g', category: 'grocery', unitPriceMinor: 8950, barcodes: ['4006381333931'] };
const SODA = { sku: 'SODA-330', name: 'Soda 330 ml', category: 'drinks', unitPriceMinor: 1500, barcodes: ['036000291452'] };
const catalogue = (version: string, products: unknown[] = [TEA, SODA]) => ({ format: 1, version, currency: 'TRY', name: 'Kadıköy shelf', products });

describe.each(ENGINES)('console catalogue routes on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startConsoleServer>>;
  let token: string;
  beforeAll(async () => {
    ctx = await startConsoleServer(engine);
    token = await ctx.signIn();
  });
  afterAll(() => ctx.close());

  const check = (document: unknown) => http(ctx.server, 'POST', '/v1/admin/catalogues/validate', { catalogue: document }, token);

  it('checks with exactly the shared validator’s problems, codes and facts included, and installs nothing', async () => {
    const broken = catalogue('c1', [TEA, { ...TEA, barcodes: ['4006381333932'] }]);
    const expected = validateCatalogue(broken);
    expect(expected.ok).toBe(false);
    const res = await check(broken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: false, problems: expected.ok ? [] : expected.problems });
    expect(res.body.problems.map((p: { code: string }) => p.code)).toEqual(['gtin-check-digit', 'duplicate-sku']);
    expect((await http(ctx.server, 'GET', '/v1/admin/catalogues', undefined, token)).body).toEqual({ current: null, catalogues: [] });
  });

  it('says what a catalogue would change: every product new for the first, the differences against the current after', async () => {
    const first = await check(catalogue('c1'));
    expect(first.body).toMatchObject({ ok: true, version: 'c1', products: 2, versionTaken: false, changes: { from: null, to: { version: 'c1', products: 2 }, added: { count: 2 } } });
    expect((await http(ctx.server, 'POST', '/v1/admin/catalogues', { catalogue: catalogue('c1') }, token)).status).toBe(200);

    const next = await check(catalogue('c2', [{ ...TEA, unitPriceMinor: 9450, name: 'Black tea 500 g (new)' }, { sku: 'BAG', name: 'Bag', category: 'other', unitPriceMinor: 50 }]));
    expect(next.body).toMatchObject({
      ok: true,
      versionTaken: false,
      changes: {
        from: { version: 'c1', name: 'Kadıköy shelf', currency: 'TRY', products: 2 },
        added: { count: 1, first: [{ sku: 'BAG', name: 'Bag', category: 'other', unitPriceMinor: 50 }] },
        removed: { count: 1, first: [{ sku: 'SODA-330', name: 'Soda 330 ml' }] },
        priceChanged: { count: 1, first: [{ sku: 'TEA-1', from: 8950, to: 9450 }] },
        renamed: { count: 1, first: [{ sku: 'TEA-1', from: 'Black tea 500 g', to: 'Black tea 500 g (new)' }] },
        categoryChanged: { count: 0 },
        barcodesChanged: { count: 0 },
        unchanged: 0,
      },
    });
  });

  it('says a version installed with other content is taken, and installing it is refused naming the version', async () => {
    const same = await check(catalogue('c1'));
    expect(same.body).toMatchObject({ ok: true, versionTaken: false, changes: { unchanged: 2, added: { count: 0 } } });
    const other = catalogue('c1', [{ ...TEA, unitPriceMinor: 1 }]);
    expect((await check(other)).body).toMatchObject({ ok: true, versionTaken: true });
    const refused = await http(ctx.server, 'POST', '/v1/admin/catalogues', { catalogue: other }, token);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'ALREADY_EXISTS', details: { version: 'c1' } });
  });

  it('lists the installed versions newest first, with who installed them', async () => {
    ctx.clock.offsetMs += 60_000;
    expect((await http(ctx.server, 'POST', '/v1/admin/catalogues', { catalogue: catalogue('c2', [SODA]) }, token)).status).toBe(200);
    const list = await http(ctx.server, 'GET', '/v1/admin/catalogues', undefined, token);
    expect(list.body.current).toBe('c2');
    expect(list.body.catalogues.map((c: { version: string; installedBy: string; products: number }) => [c.version, c.installedBy, c.products])).toEqual([
      ['c2', 'owner', 1],
      ['c1', 'owner', 2],
    ]);
    // A check without a session is refused.
    expect((await http(ctx.server, 'POST', '/v1/admin/catalogues/validate', { catalogue: catalogue('c3') })).status).toBe(401);
  });
});
