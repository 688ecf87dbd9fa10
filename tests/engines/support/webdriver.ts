// A small W3C WebDriver client (the HTTP protocol every browser driver speaks): just the commands the engine harness
// uses. Hand-written because it is a few dozen lines over fetch, where a full client library would bring its own
// driver-download machinery we must not use. Every failure says which command failed and what the driver answered.

export class WebDriverError extends Error {
  constructor(
    readonly command: string,
    readonly code: string,
    message: string,
  ) {
    super(`WebDriver ${command} failed: ${code}: ${message}`);
    this.name = 'WebDriverError';
  }
}

type Method = 'GET' | 'POST' | 'DELETE';

/** One command to the driver; its `value` on success, a WebDriverError with the driver's words on failure. */
export async function command<T>(baseUrl: string, method: Method, path: string, body?: unknown, timeoutMs = 60_000): Promise<T> {
  const name = `${method} ${path.replace(/\/session\/[^/]+/, '/session/…')}`;
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new WebDriverError(name, 'no answer', error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  let parsed: { value?: unknown } | undefined;
  try {
    parsed = JSON.parse(text) as { value?: unknown };
  } catch {
    throw new WebDriverError(name, `HTTP ${response.status}`, `not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const value = (parsed.value ?? {}) as { error?: string; message?: string };
    throw new WebDriverError(name, value.error ?? `HTTP ${response.status}`, value.message ?? text.slice(0, 200));
  }
  return parsed.value as T;
}

/** W3C key codes (the Unicode private-use characters the spec gives the special keys). */
export const W3C_KEYS = { Enter: '\uE007', Tab: '\uE004', ArrowRight: '\uE014', ArrowLeft: '\uE012', Backspace: '\uE003' } as const;

export type Action =
  | { type: 'pointerMove'; x: number; y: number; origin: 'viewport'; duration: number }
  | { type: 'pointerDown' | 'pointerUp'; button: number }
  | { type: 'pause'; duration: number }
  | { type: 'keyDown' | 'keyUp'; value: string };

export interface WebDriverSession {
  readonly id: string;
  readonly capabilities: Record<string, unknown>;
  send<T>(method: Method, path: string, body?: unknown): Promise<T>;
  /** Runs `body` as the body of a function in the page; a returned promise is awaited (W3C "execute script"). */
  execute<T>(body: string): Promise<T>;
  pointer(actions: Action[]): Promise<void>;
  keys(actions: Action[]): Promise<void>;
  end(): Promise<void>;
}

export async function newSession(baseUrl: string, capabilities: Record<string, unknown>): Promise<WebDriverSession> {
  const created = await command<{ sessionId: string; capabilities: Record<string, unknown> }>(baseUrl, 'POST', '/session', {
    capabilities: { alwaysMatch: capabilities },
  });
  const root = `/session/${created.sessionId}`;
  const send = <T>(method: Method, path: string, body?: unknown) => command<T>(baseUrl, method, `${root}${path}`, body);
  const perform = (source: Record<string, unknown>, actions: Action[]) => send<void>('POST', '/actions', { actions: [{ ...source, actions }] });
  return {
    id: created.sessionId,
    capabilities: created.capabilities,
    send,
    execute: <T>(body: string) => send<T>('POST', '/execute/sync', { script: body, args: [] }),
    pointer: (actions) => perform({ type: 'pointer', id: 'finger', parameters: { pointerType: 'mouse' } }, actions),
    keys: (actions) => perform({ type: 'key', id: 'keyboard' }, actions),
    end: () => send<void>('DELETE', ''),
  };
}
