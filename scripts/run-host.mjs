// `npm run host -- ...`: builds the renderer when it is missing, then runs the host on this Node (22) via tsx.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRendererIfMissing } from './renderer-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const staticIndex = args.indexOf('--static-dir');
const staticDir = staticIndex >= 0 ? args[staticIndex + 1] : path.join(root, 'dist', 'renderer');

// --help serves nothing: no build for it.
if (!args.includes('--help') && !args.includes('-h')) {
  const built = buildRendererIfMissing(root, staticDir);
  if (built !== 0) process.exit(built);
}
// This Node (22, as npm run gives it), not the tsx launcher's `#!/usr/bin/env node`: run as
// `node_modules/.bin/node scripts/run-host.mjs`, that found the machine's own Node, for which
// better-sqlite3 was not built.
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src-main', 'host', 'cli.ts'), ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
