// Electron cannot be downloaded here, so the packaging is checked where it can be: the builder
// configuration against electron-builder's own schema, the files it references after a build,
// the native modules it unpacks, and what its `files` globs and the production dependencies pack.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/helpers';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
type BuilderConfig = {
  icon?: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  directories: { buildResources: string };
  linux: { icon?: string; target: string[] };
  win: { icon?: string; target: string[] };
  mac?: { icon?: string; target: string[] };
  deb: { afterInstall: string; depends?: string[] };
  nsis: { perMachine: boolean };
};
const config = parse(read('electron-builder.yml')) as BuilderConfig;
const rootPackage = JSON.parse(read('package.json')) as { main: string; dependencies: Record<string, string>; optionalDependencies?: Record<string, string> };

const SERVER_PACKAGES = ['pg', 'fastify', '@electric-sql/pglite', '@kasa/server'];
const NEVER_PACKED = ['src-server/', 'src-main/', 'src-shared/', 'src-renderer/', 'test/', 'docs/', 'bench/', 'scripts/', 'native/', 'release/'];

/** electron-builder's `files`: a path is packed when a positive glob matches and no negation does. */
function packedBy(patterns: string[], file: string): boolean {
  const positive = patterns.filter((p) => !p.startsWith('!'));
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return positive.some((p) => minimatch(file, p, { dot: true })) && !negative.some((p) => minimatch(file, p, { dot: true }));
}

/** The repository's files (node_modules is electron-builder's own dependency walk, checked separately). */
function repoFiles(dir = root, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.git'].includes(entry.name)) continue;
    const rel = prefix + entry.name;
    if (entry.isDirectory()) out.push(...repoFiles(path.join(dir, entry.name), `${rel}/`));
    else out.push(rel);
  }
  return out;
}

/** What electron-builder packs from node_modules: the closure of the root package's production dependencies. */
function productionClosure(): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string, fromDir: string) => {
    // Node's resolution: nested node_modules first, then up to the hoisted one.
    let dir = fromDir;
    let pkgDir: string | null = null;
    for (;;) {
      const candidate = path.join(dir, 'node_modules', name);
      if (fs.existsSync(path.join(candidate, 'package.json'))) {
        pkgDir = candidate;
        break;
      }
      if (dir === root || dir === path.dirname(dir)) break;
      dir = path.dirname(dir);
    }
    if (!pkgDir || seen.has(pkgDir)) return;
    seen.add(pkgDir);
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, pkgDir);
  };
  for (const dep of Object.keys({ ...rootPackage.dependencies, ...rootPackage.optionalDependencies })) visit(dep, root);
  return new Set([...seen].map((dir) => path.relative(path.join(root, 'node_modules'), dir).split(path.sep).slice(-2).join('/').replace(/^.*node_modules\//, '')));
}

describe('electron-builder configuration', () => {
  it("validates against electron-builder's own JSON schema", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(valid).toBe(true);
    // The schema really bites: a misspelt key is refused.
    expect(validate({ ...config, asarUnpak: [] })).toBe(false);
  });

  it('builds Linux (deb, AppImage), Windows (per-machine NSIS) and macOS (dmg) with asar on', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['deb', 'AppImage']));
    expect(config.win.target).toContain('nsis');
    expect(config.nsis.perMachine).toBe(true);
    expect(config.mac?.target).toContain('dmg');
    expect(config.asar).toBe(true);
  });

  it('unpacks every native module from the asar', () => {
    const natives = ['better-sqlite3', 'node-hid', '@serialport/bindings-cpp'];
    for (const name of natives) {
      // A file inside the module's folder must match an asarUnpack glob.
      expect(config.asarUnpack.some((glob) => minimatch(`node_modules/${name}/build/Release/x.node`, glob)), name).toBe(true);
    }
    // And the ones installed really are native (so the list is the right one).
    for (const name of natives) expect(fs.existsSync(path.join(root, 'node_modules', name, 'binding.gyp')), name).toBe(true);
  });

  it("keeps Electron's own runtime libraries in the deb's Depends beside libusb", () => {
    // deb.depends replaces electron-builder's list, it does not add to it: without these, apt
    // installs the deb on a minimal counter image and the app cannot start (libnss3, libgtk-3-0),
    // or keeps the server credential without the keyring (libsecret-1-0, safeStorage).
    const fpm = createRequire(import.meta.url)(path.join(root, 'node_modules/app-builder-lib/out/targets/FpmTarget.js')) as {
      default: { prototype: { getDefaultDepends(target: string): string[] } };
    };
    const electronDefaults = fpm.default.prototype.getDefaultDepends('deb');
    expect(electronDefaults).toContain('libnss3');
    expect(config.deb.depends).toEqual(expect.arrayContaining([...electronDefaults, 'libusb-1.0-0']));
  });

  it('packs no server package through the production dependencies', () => {
    for (const name of SERVER_PACKAGES) expect(Object.keys(rootPackage.dependencies), name).not.toContain(name);
    const closure = productionClosure();
    expect(closure.has('better-sqlite3')).toBe(true);
    expect(closure.has('node-hid')).toBe(true);
    for (const name of [...SERVER_PACKAGES, 'electron', 'vitest', 'typescript']) expect(closure.has(name), name).toBe(false);
  });
});

describe('files the configuration references, after a build', () => {
  const out = tempDir('kasa-build-');
  beforeAll(() => {
    // Built into a temp dir: other suites read dist/ at the same time.
    execFileSync(process.execPath, [path.join(root, 'scripts/build-main.mjs'), '--out-dir', path.join(out, 'main')], { cwd: root, stdio: 'pipe' });
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.config.ts', '--outDir', path.join(out, 'renderer'), '--emptyOutDir', '--logLevel', 'warn'], { cwd: root, stdio: 'pipe' });
  }, 180_000);

  it('has the entry point, its process and preload bundles, and the renderer', () => {
    expect(rootPackage.main).toBe('dist/main/electron-main.cjs');
    for (const file of ['electron-main.cjs', 'core-process.cjs', 'preload.cjs']) expect(fs.existsSync(path.join(out, 'main', file)), file).toBe(true);
    expect(fs.existsSync(path.join(out, 'renderer', 'index.html'))).toBe(true);
    // The built files are the ones the `files` globs select.
    expect(packedBy(config.files, rootPackage.main)).toBe(true);
    expect(packedBy(config.files, 'dist/main/core-process.cjs')).toBe(true);
    expect(packedBy(config.files, 'dist/main/preload.cjs')).toBe(true);
    expect(packedBy(config.files, 'dist/renderer/index.html')).toBe(true);
  });

  it('keeps the bundles free of server packages', () => {
    for (const file of ['electron-main.cjs', 'core-process.cjs', 'preload.cjs']) {
      const text = fs.readFileSync(path.join(out, 'main', file), 'utf8');
      for (const name of SERVER_PACKAGES) expect(text, `${file} requires ${name}`).not.toContain(`require("${name}")`);
    }
  });

  it('has the icons (the right sizes) and the deb post-install script', () => {
    const icons = [config.icon, config.linux.icon, config.win.icon, config.mac?.icon].filter((i): i is string => Boolean(i));
    expect(icons.length).toBeGreaterThan(0);
    for (const icon of icons) expect(fs.existsSync(path.join(root, icon)), icon).toBe(true);
    const png = fs.readFileSync(path.join(root, 'assets/icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    const ico = fs.readFileSync(path.join(root, 'assets/icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1); // an icon resource
    expect(ico[6]).toBe(0); // 0 = 256 px, the size Windows installers need
    const script = path.join(root, config.deb.afterInstall);
    expect(fs.existsSync(script)).toBe(true);
    expect(fs.readFileSync(script, 'utf8')).toMatch(/udevadm/);
  });
});

describe('the packed file list', () => {
  const packed = repoFiles().filter((file) => packedBy(config.files, file));

  it('holds the app and nothing of the server, tests, docs, benchmarks or sources', () => {
    expect(packed).toContain('package.json');
    for (const file of packed) {
      for (const prefix of NEVER_PACKED) expect(file.startsWith(prefix), file).toBe(false);
      // Sources never ship, not even inside source maps.
      expect(/\.(ts|tsx|map)$/.test(file), file).toBe(false);
    }
  });

  it('would refuse a stray server or test file even if it were built into dist/', () => {
    for (const file of ['src-server/index.ts', 'test/core/helpers.ts', 'docs/installation.md', 'bench/run.ts', 'dist/main/electron-main.cjs.map']) {
      expect(packedBy(config.files, file), file).toBe(false);
    }
  });
});
