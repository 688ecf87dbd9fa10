// Owns what every API route does at its edge: the JSON error answer, the body's type, size, encoding and nesting,
// validation of bodies and queries against the protocol's schemas (with plain-words messages), and the protocol header.
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { sValidator } from '@hono/standard-validator';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Context, Env as HonoEnv, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  LIMITS,
  OLDEST_PROTOCOL_VERSION,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  describeIssues,
  jsonNestingDepth,
  type ErrorBody,
  type ErrorCode,
} from '../../protocol';
import type { Device } from '../store';

/** What a route knows of its request once the edge let it through: the device its credential stands for. */
export type Env = { Variables: { device: Device } };

const gunzipAsync = promisify(gunzip);

export function fail(c: Context, status: ContentfulStatusCode, error: ErrorCode, message: string, extra: Partial<ErrorBody> = {}) {
  return c.json({ error, message, ...extra } satisfies ErrorBody, status);
}

function isJson(c: Context): boolean {
  return /^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '');
}

/** JSON bodies only, within `maxBytes` as sent and (gzip) as inflated. */
export function jsonOnly(maxBytes: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) => fail(c, 413, 'payload_too_large', `The body is larger than ${maxBytes} bytes. Send fewer changes at a time.`),
  });
  return async (c, next) => {
    if (!isJson(c)) return fail(c, 415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
    const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
    if (encoding === 'gzip') {
      return limit(c, async () => {
        const refused = await inflateWithin(c, maxBytes, next);
        if (refused) c.res = refused;
      });
    }
    if (encoding && encoding !== 'identity')
      return fail(c, 415, 'unsupported_media_type', 'Request bodies may be sent as they are or gzip-compressed, nothing else.');
    return limit(c, next);
  };
}

/**
 * Inflates a gzip body (its compressed size is already within the limit): the limit applies to what it inflates to,
 * so a small zip bomb is refused with 413 as soon as it grows past it, before it fills the memory.
 */
async function inflateWithin(c: Context, maxBytes: number, next: () => Promise<void>): Promise<Response | void> {
  const compressed = Buffer.from(await c.req.arrayBuffer());
  let inflated: Buffer;
  try {
    inflated = await gunzipAsync(compressed, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
      return fail(c, 413, 'payload_too_large', `The body inflates to more than ${maxBytes} bytes. Send fewer changes at a time.`);
    return fail(c, 400, 'bad_request', 'The body says it is gzip-compressed but is not valid gzip.');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return fail(c, 400, 'bad_request', 'The body is not valid UTF-8 text.');
  }
  // The validator reads the body as text from Hono's cache: it finds the inflated text there.
  (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text); // Hono caches the promise
  await next();
  return undefined;
}

const sentBodies = new WeakMap<Request, unknown>();

/** The validated body as it was sent, before the schema made its copy (which drops keys such as "__proto__"). */
export function sentBody(c: Context): unknown {
  return sentBodies.get(c.req.raw);
}

/**
 * Validates the JSON body against `schema` (after jsonOnly): a body nested too deeply is refused before anything
 * recurses into it, one that is not JSON or not this shape gets 400 with what is wrong in plain words. `what` names
 * the request in the message ("The push is not right: …"). The console's API (E: its own context) uses it too.
 */
export function validBody<Schema extends StandardSchemaV1, E extends HonoEnv = Env>(
  schema: Schema,
  what: string,
): MiddlewareHandler<E, string, { in: { json: StandardSchemaV1.InferInput<Schema> }; out: { json: StandardSchemaV1.InferOutput<Schema> } }> {
  const check: MiddlewareHandler = sValidator('json', schema, async (result, c): Promise<Response | undefined> => {
    if (!result.success) return fail(c, 400, 'bad_request', `${what} is not right: ${describeIssues({ issues: result.error })}.`);
    sentBodies.set(c.req.raw, result.data);
    return undefined;
  });
  return async (c, next) => {
    if (jsonNestingDepth(await c.req.text()) > LIMITS.jsonDepth)
      return fail(c, 400, 'bad_request', `The JSON is nested too deeply (more than ${LIMITS.jsonDepth} levels of arrays and objects).`);
    let parsed = false;
    try {
      return await check(c, () => {
        parsed = true;
        return next();
      });
    } catch (error) {
      // Hono's validator throws this when the text is not JSON; anything the route throws goes on to onError.
      if (!parsed && error instanceof HTTPException && error.status === 400) return fail(c, 400, 'bad_request', 'The body is not valid JSON.');
      throw error;
    }
  };
}

/** Validates the query against `schema`: 400 with what is wrong in plain words. */
export function validQuery<Schema extends StandardSchemaV1>(schema: Schema, what: string) {
  return sValidator('query', schema, (result, c) => {
    if (!result.success) return fail(c, 400, 'bad_request', `${what} is not right: ${describeIssues({ issues: result.error })}.`);
    return undefined;
  });
}

/** Every API request but health says which protocol it speaks; an app too old to understand this server must update. */
export const requireProtocol: MiddlewareHandler<Env> = async (c, next) => {
  c.header('Cache-Control', 'no-store');
  const spoken = c.req.header(PROTOCOL_HEADER);
  const version = spoken && /^\d{1,4}$/.test(spoken.trim()) ? Number(spoken.trim()) : undefined;
  if (version === undefined || version < OLDEST_PROTOCOL_VERSION) {
    return fail(
      c,
      426,
      'protocol_too_old',
      `This app is too old for the server. Update the app ` +
        `(the server speaks protocols ${OLDEST_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}; send the ${PROTOCOL_HEADER} header).`,
    );
  }
  if (version > PROTOCOL_VERSION) {
    return fail(
      c,
      400,
      'protocol_too_new',
      `The app is newer than the server (protocol ${version}, server ${PROTOCOL_VERSION}). Ask your administrator to update the server.`,
    );
  }
  return next();
};
