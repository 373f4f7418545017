// Bundles the Electron main process, preload and core utility process into dist/main/*.cjs.
// Native modules stay external: electron-builder unpacks them from the asar.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `--out-dir DIR` (tests) builds elsewhere so a check never races suites reading dist/main.
const outFlag = process.argv.indexOf('--out-dir');
const outDir = outFlag >= 0 ? path.resolve(process.argv[outFlag + 1]) : path.join(root, 'dist/main');
const external = ['electron', 'better-sqlite3', 'node-hid', 'serialport', '@serialport/*'];
// Code that runs both as an ES module (host, tests) and in this CommonJS bundle reads __dirname
// first and import.meta.url only when it is missing (wal-checkpointer.ts): the empty import.meta
// here is expected.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  external,
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' },
};

await Promise.all([
  build({ ...common, entryPoints: [path.join(root, 'src-main/electron/main.ts')], outfile: path.join(outDir, 'electron-main.cjs') }),
  build({ ...common, entryPoints: [path.join(root, 'src-main/electron/core-process.ts')], outfile: path.join(outDir, 'core-process.cjs') }),
  // The sandboxed preload may require only 'electron'; everything else is bundled in.
  build({ ...common, entryPoints: [path.join(root, 'src-main/electron/preload.ts')], outfile: path.join(outDir, 'preload.cjs'), external: ['electron'] }),
]);
console.log(`built ${path.relative(root, outDir) || outDir} (electron-main.cjs, core-process.cjs, preload.cjs)`);
