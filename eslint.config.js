// Layering (after VS Code's code-layering rule): src-shared is pure and imports nothing of ours;
// src-main, src-renderer, src-console and src-server import only src-shared. A wrong import fails `npm test`.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'process', 'readline', 'stream', 'tls', 'tty', 'url',
  'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const nodeOnlyPackages = ['better-sqlite3', 'node-hid', 'serialport', '@serialport/*', 'ws', 'pg', 'fastify', '@fastify/*', '@electric-sql/*'];

const ban = (group, message) => ({ group, message });
const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export const layering = [
  layer(['src-shared/**/*.{ts,tsx}'], [
    ban(['node:*', ...nodeBuiltins], 'src-shared is pure TypeScript: no Node built-ins.'),
    ban(['electron', 'electron/*'], 'src-shared may not import electron.'),
    ban([...nodeOnlyPackages, 'react', 'react-dom', 'react-dom/*', 'zustand', 'i18next', 'react-i18next'], 'src-shared may not import platform or UI packages.'),
    ban(['**/src-main/**', '**/src-renderer/**', '**/src-console/**', '**/src-server/**', '**/test/**'], 'src-shared imports nothing of ours.'),
  ]),
  layer(['src-renderer/**/*.{ts,tsx}'], [
    ban(['node:*', ...nodeBuiltins], 'The renderer has no Node: talk to the core through the typed API.'),
    ban(['electron', 'electron/*', ...nodeOnlyPackages], 'The renderer gets only the typed API, never Node or Electron modules.'),
    ban(['**/src-main/**', '**/src-server/**', '**/src-console/**', '**/test/**'], 'src-renderer may import only src-shared.'),
  ]),
  // The programme console runs in the owner's browser and talks to the server's admin API only.
  // Like the renderer it speaks English and Turkish through i18next (browser packages, allowed).
  layer(['src-console/**/*.{ts,tsx}'], [
    ban(['node:*', ...nodeBuiltins], 'The console runs in a browser: no Node built-ins.'),
    ban(['electron', 'electron/*', ...nodeOnlyPackages], 'The console is a web page: no Node, Electron or server packages.'),
    ban(['**/src-main/**', '**/src-renderer/**', '**/src-server/**', '**/test/**'], 'src-console may import only src-shared.'),
  ]),
  layer(['src-main/**/*.ts'], [
    ban(['**/src-renderer/**', '**/src-console/**', '**/src-server/**', '**/test/**'], 'src-main may import only src-shared.'),
    ban(['react', 'react-dom', 'zustand', 'pg', 'fastify', '@fastify/*', '@electric-sql/*'], 'The terminal core does not use UI or server packages.'),
  ]),
  layer(['src-main/core/**/*.ts'], [
    ban(['**/src-renderer/**', '**/src-console/**', '**/src-server/**', '**/test/**'], 'src-main may import only src-shared.'),
    ban(['electron', 'electron/*'], 'The terminal core knows nothing of Electron.'),
    ban(['react', 'react-dom', 'zustand', 'pg', 'fastify', '@fastify/*', '@electric-sql/*'], 'The terminal core does not use UI or server packages.'),
  ]),
  layer(['src-server/**/*.ts'], [
    ban(['**/src-main/**', '**/src-renderer/**', '**/src-console/**', '**/test/**'], 'src-server may import only src-shared.'),
    ban(['electron', 'electron/*', 'better-sqlite3', 'node-hid', 'serialport', 'react', 'react-dom'], 'The server pulls in nothing of the desktop app.'),
  ]),
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '**/node_modules/**', 'test-results/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src-*/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'No default exports: name what you export.' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      // Tests read untyped JSON off the wire on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-properties': ['error',
        { object: 'it', property: 'only' }, { object: 'it', property: 'skip' },
        { object: 'describe', property: 'only' }, { object: 'describe', property: 'skip' },
        { object: 'test', property: 'only' }, { object: 'test', property: 'skip' }],
    },
  },
  ...layering,
);
