// `npm run host -- ...`: builds the renderer when it is missing, then runs the host on Node 22 via tsx.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);
const staticIndex = args.indexOf('--static-dir');
const staticDir = staticIndex >= 0 ? args[staticIndex + 1] : path.join(root, 'dist', 'renderer');

if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
  const build = spawnSync(bin('vite'), ['build', '--config', path.join(root, 'vite.config.ts')], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const child = spawn(bin('tsx'), [path.join(root, 'src-main', 'host', 'cli.ts'), ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
