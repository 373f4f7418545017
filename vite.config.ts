import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served by the browser host at / and loaded by Electron from file://, so paths
// are relative and nothing is fetched from the network.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // Loaded from this machine's disk, never over a network: Vite's 500 kB warning (a download's
    // cost) does not apply; 1 MB still says when the bundle has grown out of proportion.
    chunkSizeWarningLimit: 1000,
  },
});
