// Owns talking to the console API (/console/api): JSON both ways, the session cookie, and the CSRF token that every
// state change carries in X-CSRF-Token. An error comes back as ApiError with the server's plain-words message.

export const API_BASE = '/console/api';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken = '';

/** The token from login, set-up or GET /me; sent with every POST, PUT, PATCH and DELETE. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** "?from=2026-01&to=2026-03&site=x" from the values that are set, in a fixed order. */
export function queryString(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The message of an error body ({error, message}), or a fallback when the body is not one. */
export function errorFrom(status: number, body: unknown, fallback: string): ApiError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof record.error === 'string' ? record.error : `http_${status}`;
  const message = typeof record.message === 'string' && record.message.trim() ? record.message : fallback;
  return new ApiError(status, code, message);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(API_BASE + path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw errorFrom(response.status, parsed, '');
  // A success that is not JSON (a proxy's page, an older server without the console API) is no answer.
  if (parsed === undefined) throw new ApiError(response.status, 'not_json', '');
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
};

/** The address of a file the browser downloads itself (CSV exports); a GET, so no CSRF token. */
export function downloadAddress(path: string): string {
  return API_BASE + path;
}
