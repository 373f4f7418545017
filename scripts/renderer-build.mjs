// The built renderer, for what serves it (the host, the scan-to-screen bench): a fresh checkout has
// none yet, so it is built on first use instead of failing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Builds dist/renderer with vite (its output to stderr: a bench's stdout is JSON) unless `staticDir` already holds an index.html; returns vite's exit status (0 when nothing was needed). */
export function buildRendererIfMissing(root, staticDir = path.join(root, 'dist', 'renderer')) {
  if (fs.existsSync(path.join(staticDir, 'index.html'))) return 0;
  const build = spawnSync(path.join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', path.join(root, 'vite.config.ts')], { stdio: ['ignore', 2, 'inherit'], cwd: root });
  return build.status ?? 1;
}
