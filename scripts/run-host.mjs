// `npm run host -- ...`: builds the renderer when it is missing, then runs the host on this Node (22) via tsx.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRendererIfMissing } from './renderer-build.mjs';
import { requireNode22 } from './require-node-22.mjs';

requireNode22('kasa host', 'npm run host -- ...');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const staticIndex = args.indexOf('--static-dir');
const staticDir = args.find((a) => a.startsWith('--static-dir='))?.slice('--static-dir='.length) ?? (staticIndex >= 0 ? args[staticIndex + 1] : undefined);

// --help serves nothing: no build for it. The default folder is built when it is missing; a
// folder the installer named is theirs, and one without the renderer is said, not built over.
if (!args.includes('--help') && !args.includes('-h')) {
  if (staticDir === undefined) {
    const built = buildRendererIfMissing(root);
    if (built !== 0) process.exit(built);
  } else if (!fs.existsSync(path.join(path.resolve(staticDir), 'index.html'))) {
    process.stderr.write(`kasa host: --static-dir ${staticDir} holds no built renderer (index.html): name the folder a renderer build went to, or leave the option out to use dist/renderer\n`);
    process.exit(2);
  }
}
// This Node (22, as npm run gives it), not the tsx launcher's `#!/usr/bin/env node`: run as
// `node_modules/.bin/node scripts/run-host.mjs`, that found the machine's own Node, for which
// better-sqlite3 was not built.
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src-main', 'host', 'cli.ts'), ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
