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
  },
});
