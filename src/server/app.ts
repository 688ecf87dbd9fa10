// Owns the HTTP surface of the server: the health check, the sync API mount point, and the built app.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';

export interface AppOptions {
  staticDir: string;
  version: string;
  storage: 'sqlite' | 'postgres';
  /** Answers whether the storage can be reached right now. */
  storageReady: () => Promise<boolean> | boolean;
}

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  app.use('*', compress());

  app.get('/v1/health', async (c) => {
    const ready = await Promise.resolve(options.storageReady()).catch(() => false);
    return c.json({ status: ready ? 'ok' : 'unavailable', version: options.version, storage: options.storage }, ready ? 200 : 503);
  });
  app.all('/v1/*', (c) => c.json({ error: 'not_found', message: 'No such API endpoint.' }, 404));

  // The service worker and the HTML must be revalidated so a new version is noticed; hashed assets never change.
  app.use('*', async (c, next) => {
    await next();
    const path = c.req.path;
    if (path.startsWith('/assets/')) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    else c.header('Cache-Control', 'no-cache');
  });
  app.use('*', serveStatic({ root: options.staticDir }));

  // Every other address is an in-app route: answer with the app shell (the service worker does the same offline).
  app.get('*', (c) => {
    const indexFile = join(options.staticDir, 'index.html');
    if (!existsSync(indexFile)) return c.text('The app has not been built. Run "npm start" (it builds first) or "npm run build".', 503);
    return c.html(readFileSync(indexFile, 'utf8'));
  });
  return app;
}
