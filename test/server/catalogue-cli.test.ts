// The owner's admin CLI installs a catalogue file (PGlite data dir): a bad file names every problem by
// path and exits 2 with nothing installed; a good one is installed, audited and listed.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-server/start-server';
import { tempDir } from '../core/helpers';
import { freshPgliteDir } from './databases';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

async function admin(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'scripts/run-server.mjs'), 'admin', '--data-dir', dataDir, ...args], { cwd: root, env: { ...process.env, USER: 'owner' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Five admin commands, each a process that opens the PGlite folder (about 10 s apiece on a loaded
// 2-core machine): more than the default minute.
describe('admin install-catalogue', { timeout: 240_000 }, () => {
  it('refuses a bad file with every problem by path, installs a good one (audited) and lists it', async () => {
    const dir = tempDir('kasa-cli-catalogue-');
    const dataDir = freshPgliteDir();
    const bad = path.join(dir, 'bad.json');
    const good = path.join(dir, 'good.json');
    const products = [
      { sku: 'TEA-1', name: 'Black tea 500 g', category: 'grocery', unitPriceMinor: 8950, barcodes: ['4006381333931'] },
      { sku: 'SODA-330', name: 'Soda 330 ml', category: 'drinks', unitPriceMinor: 1500, barcodes: ['036000291452'] },
    ];
    fs.writeFileSync(bad, JSON.stringify({ format: 1, version: 'c1', currency: 'TRY', products: [...products, { ...products[0], barcodes: ['4006381333932'] }] }));
    fs.writeFileSync(good, JSON.stringify({ format: 1, version: 'c1', currency: 'TRY', products }));

    const refused = await admin(dataDir, 'install-catalogue', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('products[2].sku: duplicate SKU "TEA-1" (also products[0])');
    expect(refused.stderr).toContain('products[2].barcodes[0]: check digit is wrong: 400638133393 needs 1, not 2');
    expect((await admin(dataDir, 'install-catalogue', path.join(dir, 'missing.json'))).code).not.toBe(0);

    const installed = await admin(dataDir, 'install-catalogue', good);
    expect(installed.code).toBe(0);
    expect(JSON.parse(installed.stdout)).toMatchObject({ installed: true, catalogue: { version: 'c1', products: 2, installedBy: 'cli:owner' } });
    const listed = await admin(dataDir, 'catalogues');
    expect(JSON.parse(listed.stdout)).toMatchObject({ current: 'c1', catalogues: [{ version: 'c1', currency: 'TRY', products: 2 }] });

    const db = await openDatabase({ pgliteDir: dataDir });
    try {
      expect(await db.query("SELECT actor, details FROM admin_audit WHERE action = 'catalogue.install'")).toEqual([{ actor: 'cli:owner', details: { version: 'c1', products: 2, reinstalled: false } }]);
      expect(await db.query("SELECT dataset, key, payload->>'version' AS version FROM changes WHERE dataset = 'catalogue'")).toEqual([{ dataset: 'catalogue', key: 'current', version: 'c1' }]);
    } finally {
      await db.close();
    }
  });
});
