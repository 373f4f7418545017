// Bundles the Electron main process, preload and core utility process into dist/main/*.cjs.
// Native modules stay external: electron-builder unpacks them from the asar.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const external = ['electron', 'better-sqlite3', 'node-hid', 'serialport', '@serialport/*'];
const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: true, external, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: [path.join(root, 'src-main/electron/main.ts')], outfile: path.join(root, 'dist/main/electron-main.cjs') }),
  build({ ...common, entryPoints: [path.join(root, 'src-main/electron/core-process.ts')], outfile: path.join(root, 'dist/main/core-process.cjs') }),
  // The sandboxed preload may require only 'electron'; everything else is bundled in.
  build({ ...common, entryPoints: [path.join(root, 'src-main/electron/preload.ts')], outfile: path.join(root, 'dist/main/preload.cjs'), external: ['electron'] }),
]);
console.log('built dist/main (electron-main.cjs, core-process.cjs, preload.cjs)');
