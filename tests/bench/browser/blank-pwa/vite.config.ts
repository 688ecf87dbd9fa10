// Builds the browser bench's blank PWA (Preact + Dexie + i18next, one line of text) as the app is built.
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [preact()],
  logLevel: 'error',
  build: { target: 'es2022', outDir: process.env.BLANK_PWA_OUT_DIR ?? 'dist', emptyOutDir: true },
});
