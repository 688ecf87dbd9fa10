// `npm start`: build the app when its sources are newer than dist/, then run the server and print where to open it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { bootstrapIfEmpty, enrolmentLink, noteRunningServerUrl, plainTime } from './admin';
import { ConfigError, readConfig } from './config';
import { startServer } from './main';

const root = process.cwd();

function newestChange(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      continue;
    }
    if (stats.isDirectory()) {
      if (path.endsWith(join('src', 'server'))) continue; // server code is not part of the built app
      newest = Math.max(newest, newestChange(readdirSync(path).map((name) => join(path, name))));
    } else newest = Math.max(newest, stats.mtimeMs);
  }
  return newest;
}

function builtAt(staticDir: string): number {
  try {
    return statSync(join(staticDir, 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'manifest.webmanifest', 'package.json'].map((p) => join(root, p));
  if (newestChange(sources) > builtAt(config.staticDir)) {
    console.log('Building the app…');
    process.env.NODE_ENV = 'production'; // a production build: no dev logging in the service worker
    const { build } = await import('vite');
    await build({ root, logLevel: 'warn', build: { outDir: config.staticDir } });
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const server = await startServer(config, version);
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((address) => address && address.family === 'IPv4' && !address.internal)
    .map((address) => `http://${address!.address}:${server.port}`);
  console.log(`\nDigituki is running. Open ${server.url} on this machine.`);
  if (lan.length) console.log(`On the local network: ${lan.join(', ')} (tablets need HTTPS to install the app: see README).`);
  console.log(config.databaseUrl ? 'Data: PostgreSQL (DATABASE_URL)\n' : `Data: ${config.dataDir}\n`);
  // A newcomer can enrol a tablet at once: an empty database gets a first organisation, site and code.
  if (!config.databaseUrl) noteRunningServerUrl(config.dataDir, server.url);
  const first = await bootstrapIfEmpty(server.store);
  if (first) {
    console.log(`Created "${first.organisation.name}" with the site "${first.site.name}".`);
    console.log(`Rename them: npm run -s admin -- org rename ${first.organisation.id} <name>  and  site rename ${first.site.id} <name>`);
    console.log(`Enrolment code for one tablet: ${first.enrolment.code} (valid until ${plainTime(first.enrolment.expiresAt)}).`);
    console.log(
      'On the tablet: Ohjaajalle → PIN → Synkronointi, and type the code. ' +
        `Or open ${enrolmentLink(config.publicUrl ?? server.url, first.enrolment.code)} on the tablet.`,
    );
    if (!config.publicUrl) console.log('(A localhost address works only on this computer: set PUBLIC_URL to the address tablets use.)');
    console.log('More codes and sites: npm run -s admin -- help\n');
  }
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
