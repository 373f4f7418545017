// The hosted CI's release workflow cannot run here; what can be checked is that it parses, runs on
// a tag, builds on Linux, Windows and macOS runners with `npm run dist`, and uploads the installers.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

type Step = { run?: string; uses?: string; with?: Record<string, unknown> };
type Workflow = {
  on: { push?: { tags?: string[] } };
  jobs: Record<string, { 'runs-on': string; strategy?: { matrix?: { os?: string[] } }; steps: Step[] }>;
};

const file = path.resolve(__dirname, '../../.github/workflows/release.yml');

describe('release workflow', () => {
  const workflow = parse(fs.readFileSync(file, 'utf8')) as Workflow;
  const jobs = Object.values(workflow.jobs);

  it('runs on version tags', () => {
    expect(workflow.on.push?.tags).toEqual(['v*']);
  });

  it('builds on Linux, Windows and macOS runners with npm run dist', () => {
    const runners = jobs.flatMap((job) => (job['runs-on'].includes('matrix.os') ? (job.strategy?.matrix?.os ?? []) : [job['runs-on']]));
    expect(runners).toEqual(expect.arrayContaining(['ubuntu-latest', 'windows-latest', 'macos-latest']));
    const builds = jobs.flatMap((job) => job.steps).filter((step) => step.run?.startsWith('npm run dist'));
    expect(builds).toHaveLength(1);
    // The package.json script it names exists and is the installer build.
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toContain('electron-builder');
  });

  it('installs dependencies from the lock file and uploads installers and update feeds as release assets', () => {
    const steps = jobs.flatMap((job) => job.steps);
    expect(steps.some((s) => s.run === 'npm ci')).toBe(true);
    const upload = steps.find((s) => s.uses?.startsWith('softprops/action-gh-release'));
    const files = String(upload?.with?.files ?? '');
    for (const pattern of ['*.deb', '*.AppImage', '*.exe', '*.dmg', 'latest*.yml']) expect(files).toContain(`release/${pattern}`);
    // electron-builder's output folder is where the workflow looks.
    expect(fs.readFileSync(path.resolve(__dirname, '../../electron-builder.yml'), 'utf8')).toMatch(/output: release/);
  });
});
