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
  },
});
