// Build of the tablet app (Preact + injectManifest service worker), the coordinator's console (a second entry,
// built on its own into dist/console/), and the four Vitest projects.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build as viteBuild, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { VitePWA, type ManifestOptions } from 'vite-plugin-pwa';

// manifest.webmanifest at the root is the single source of the web app manifest.
const manifest = JSON.parse(readFileSync(new URL('./manifest.webmanifest', import.meta.url), 'utf8')) as Partial<ManifestOptions>;
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
// A build id lets tests (and the instructor) tell two builds of the same version apart.
const buildId = process.env.DIGITUKI_BUILD_ID ?? new Date().toISOString();

// Fingerprint of the built-in guide content: tablets reload their built-in guides whenever it changes.
function contentFingerprint(dir: string): string {
  const hash = createHash('sha256');
  const walk = (folder: string) => {
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}
const guideContentVersion = contentFingerprint(new URL('./src/guides/content', import.meta.url).pathname);

const CONSOLE_ENTRY = 'src/console/index.html';
const APP_ENTRY = resolve('src/main.tsx');

/** 'first-screen' for a module the tablet app's entry imports statically, directly or through others; else automatic. */
function firstScreenChunk(id: string, ctx: { getModuleInfo(id: string): { importers: readonly string[] } | null }): string | null {
  const seen = new Set([id]);
  const waiting = [id];
  while (waiting.length) {
    const module = waiting.pop()!;
    if (module === APP_ENTRY) return id === APP_ENTRY ? null : 'first-screen';
    for (const importer of ctx.getModuleInfo(module)?.importers ?? []) {
      if (seen.has(importer)) continue;
      seen.add(importer);
      waiting.push(importer);
    }
  }
  return null;
}

/**
 * The console (src/console/index.html) is built as a second input in a build of its own, after the tablet app's,
 * into <outDir>/console/ with the base /console/: one shared build would put Preact and i18next into chunks both load,
 * and a tablet must never fetch a console file nor the console a tablet one. The tablet's precache skips console/**.
 */
function consoleBuild(): Plugin {
  let outDir = 'dist';
  let root = process.cwd();
  return {
    name: 'digituki:console',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = resolve(root, config.build.outDir);
    },
    closeBundle: {
      sequential: true,
      async handler() {
        await viteBuild({
          configFile: false,
          root,
          base: '/console/',
          publicDir: false, // the icons are the tablet app's, served from /icons/
          logLevel: 'error',
          plugins: [preact()],
          define: { __APP_VERSION__: JSON.stringify(pkg.version) },
          build: {
            target: 'es2022',
            outDir: join(outDir, 'console'),
            emptyOutDir: true,
            rollupOptions: { input: { console: join(root, CONSOLE_ENTRY) } },
          },
        });
        // Vite names the page after its place in the source (src/console/index.html); people open /console/.
        const built = join(outDir, 'console', CONSOLE_ENTRY);
        renameSync(built, join(outDir, 'console', 'index.html'));
        rmSync(join(outDir, 'console', 'src'), { recursive: true, force: true });
      },
    },
  };
}

/**
 * The built-in guide pictures: each a hashed file (precached), and their addresses in /builtin-pictures.json, read
 * when the built-in guides are loaded (src/guides/builtin-pictures.ts) — 228 addresses kept out of the JavaScript.
 */
function builtinPictures(): Plugin {
  const folder = new URL('./src/guides/content/images', import.meta.url).pathname;
  const files = () =>
    readdirSync(folder)
      .filter((name) => name.endsWith('.svg'))
      .sort();
  let emitted: [file: string, ref: string][] = [];
  let building = false;
  return {
    name: 'digituki-builtin-pictures',
    configResolved(config) {
      building = config.command === 'build';
    },
    buildStart() {
      if (!building) return;
      emitted = files().map((file) => [
        file,
        this.emitFile({ type: 'asset', name: file, originalFileName: `src/guides/content/images/${file}`, source: readFileSync(join(folder, file)) }),
      ]);
    },
    generateBundle() {
      if (!building) return;
      const map = Object.fromEntries(emitted.map(([file, ref]) => [file, `/${this.getFileName(ref)}`]));
      this.emitFile({ type: 'asset', fileName: 'builtin-pictures.json', source: JSON.stringify(map) });
    },
    // The dev server serves the pictures from the source folder.
    configureServer(server) {
      server.middlewares.use('/builtin-pictures.json', (_request, response) => {
        response.setHeader('Content-Type', 'application/json');
        response.end(JSON.stringify(Object.fromEntries(files().map((file) => [file, `/src/guides/content/images/${file}`]))));
      });
    },
  };
}

export default defineConfig({
  plugins: [
    preact(),
    consoleBuild(),
    builtinPictures(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifest,
      injectManifest: {
        // A classic script, as the page registers it; the ES format made Vite warn "inlineDynamicImports is deprecated".
        rollupFormat: 'iife',
        globPatterns: ['**/*.{js,css,html,svg,json,woff2}'],
        // The coordinator's console is no part of the tablet app: a tablet never downloads it.
        globIgnores: ['console/**'],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    __BUILD_ID__: JSON.stringify(buildId),
    __GUIDE_CONTENT_VERSION__: JSON.stringify(guideContentVersion),
  },
  build: {
    target: 'es2022',
    outDir: process.env.DIGITUKI_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    // Built-in guides and their pictures stay files (fetched once, precached) instead of base64 inside JavaScript.
    assetsInlineLimit: (file) => (file.includes('/guides/content/') ? false : undefined),
    rolldownOptions: {
      output: {
        // Everything the first screen imports statically is one file: split by sharing, it was 21 files besides the
        // entry, each one more request through the service worker before the first paint (issue 16, cold start).
        codeSplitting: { groups: [{ name: firstScreenChunk }] },
      },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'happy-dom',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/unit/setup.ts'],
          // Property tests run 100 cases; on a loaded 2-core CI machine Vitest's default 5 s cut one short.
          testTimeout: 15_000,
          // `npm run bench`: speed is measured here, in the same environment as the unit tests, never asserted.
          benchmark: { include: ['tests/bench/**/*.bench.{ts,tsx}'] },
        },
      },
      {
        // The tablet's sync engine runs here against the real server, and names its app version as in the build.
        define: { __APP_VERSION__: JSON.stringify(pkg.version) },
        test: {
          name: 'server',
          environment: 'node',
          include: ['tests/server/**/*.test.ts'],
          benchmark: { include: [] }, // benches run once, in the unit project
          testTimeout: 20_000,
        },
      },
      {
        test: {
          // npm run lint refuses a planted breach of each import rule and a floating promise (runs the real checkers).
          name: 'tooling',
          environment: 'node',
          include: ['tests/tooling/**/*.test.ts'],
          benchmark: { include: [] },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'browser',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          benchmark: { include: [] },
          globalSetup: ['tests/e2e/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          // The same smoke path in Firefox ESR (Gecko) and WebKitGTK (Safari's engine), Debian's packages.
          name: 'engines',
          environment: 'node',
          include: ['tests/engines/**/*.test.ts'],
          benchmark: { include: [] },
          globalSetup: ['tests/engines/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
