// The console's build: React through @vitejs/plugin-react, into web/dist, which the API server
// serves at / (src/api/console-files.ts). Hashed file names under assets/ are cached for a year.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inlined assets: the Content-Security-Policy allows files from the server only.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
