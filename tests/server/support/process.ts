// Test support: the server as its own OS process (`npm start`'s entry), on a free loopback port, as in production.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Ends the process (SIGKILL: as a crash; SIGTERM: a normal stop) and waits until it is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts src/server/start.ts with the given environment and waits for /v1/health (and, if given, until it has
 * printed `until`). PORT is a free one unless given.
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { port?: number; until?: RegExp; waitForMs?: number } = {},
): Promise<ServerProcess> {
  const chosen = options.port ?? (await freePort());
  const waitForMs = options.waitForMs ?? 90_000;
  let printed = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'src', 'server', 'start.ts')], {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent', HOST: '127.0.0.1', ...env, PORT: String(chosen) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const url = `http://localhost:${chosen}`;
  const server: ServerProcess = {
    url,
    child,
    output: () => printed,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
  const deadline = Date.now() + waitForMs;
  for (;;) {
    const printedEnough = !options.until || options.until.test(printed);
    if (
      printedEnough &&
      (await fetch(`${url}/v1/health`)
        .then((r) => r.ok)
        .catch(() => false))
    )
      return server;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`The server process did not start:\n${printed}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
