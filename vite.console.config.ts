import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The programme console is served by the central server at /console (src-server/console/console-static.ts)
// under a strict CSP: the build has no inline scripts and fetches only from its own origin.
export default defineConfig({
  root: 'src-console',
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // Vite would otherwise inline a small module-preload polyfill script.
    modulePreload: { polyfill: false },
    // The libraries (React, i18next, zustand, zod) in a chunk of their own, whose name changes only
    // when they do (a console release that changes its own code leaves the browser's copy valid),
    // and no chunk passes Vite's 500 kB warning.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'vendor', test: /node_modules/ }] } } },
  },
});
