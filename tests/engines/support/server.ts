// The real server for the engine tests: `npm start`'s entry as its own process on a fixed free port (so the tablet's
// origin stays the same when it is stopped and started again), serving a copy of the built app from its SQLite data.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../../src/server/store';
import { openSqliteStore } from '../../../src/server/store/sqlite-store';
import { freePort, startServerProcess, type ServerProcess } from '../../server/support/process';
import { ENGINES_BUILD, ENGINES_DIR } from './paths';

export interface EngineServer {
  url: string;
  /** The first enrolment code the server printed on its first start. */
  code: string;
  /** The folder the server serves (a copy of the build, which the test may change). */
  staticDir: string;
  isUp(): boolean;
  start(): Promise<void>;
  /** Stops the process, as a server going away or a lost network looks to the tablet. */
  stop(): Promise<void>;
  /** The administrator's view of the same SQLite file. */
  store(): Promise<Store>;
  close(): Promise<void>;
}

export async function prepareServer(name: string, changeBuild: (staticDir: string) => void = () => undefined): Promise<EngineServer> {
  const root = mkdtempSync(join(ENGINES_DIR, `${name}-`));
  const staticDir = join(root, 'www');
  cpSync(ENGINES_BUILD, staticDir, { recursive: true });
  changeBuild(staticDir);
  const port = await freePort();
  let process: ServerProcess | undefined;
  let code = '';
  let store: Store | undefined;
  const server: EngineServer = {
    url: `http://localhost:${port}`,
    get code() {
      return code;
    },
    staticDir,
    isUp: () => process !== undefined,
    async start() {
      process = await startServerProcess(
        { DATA_DIR: join(root, 'data'), STATIC_DIR: staticDir },
        { port, until: code ? undefined : /Enrolment code for one tablet/ },
      );
      code ||= /Enrolment code for one tablet: (\S+)/.exec(process.output())?.[1] ?? '';
      if (!code) throw new Error(`The server printed no enrolment code:\n${process.output()}`);
    },
    async stop() {
      await process?.stop('SIGTERM');
      process = undefined;
    },
    async store() {
      store ??= await openSqliteStore(join(root, 'data'));
      return store;
    },
    async close() {
      await server.stop();
      await store?.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return server;
}
