// Owns the pictures of an organisation's guides, named by the SHA-256 of their bytes: GET (and HEAD) and PUT
// /v1/blobs/{sha256}, within the organisation's room on the server.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { BLOB_TYPES, LIMITS, pictureSize, pictureSizeProblem } from '../../protocol';
import type { PictureStoredResponse } from '../../protocol/responses';
import { sha256Hex } from '../credentials';
import type { Gates, RouteContext } from './context';
import { fail, requireProtocol, type Env } from './edge';

/** Bytes for people: "1.5 GiB", "300 MiB". */
function amount(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1 ? `${Number(gib.toFixed(1))} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}

const hashOf = (c: Context) => {
  const hash = c.req.param('sha256') ?? '';
  return /^[0-9a-f]{64}$/.test(hash) ? hash : undefined;
};

export function pictureRoutes(context: RouteContext, gates: Gates): Hono<Env> {
  const { store, now, blobQuotaBytes } = context;
  const routes = new Hono<Env>();
  const blobPath = '/blobs/:sha256';
  routes.use('/blobs/*', requireProtocol, gates.requireDevice);

  // GET also answers HEAD (Hono routes HEAD to GET); for HEAD the bytes are not read.
  routes.get(blobPath, async (c) => {
    const hash = hashOf(c);
    if (!hash) return fail(c, 400, 'bad_request', 'A picture is named by the SHA-256 of its bytes: 64 lowercase hex digits.');
    const orgId = c.get('device').orgId;
    if (c.req.method === 'HEAD') {
      const found = await store.hasBlob(orgId, hash);
      if (!found) return c.body(null, 404);
      return c.body(null, 200, { 'Content-Type': found.type, 'Content-Length': String(found.size) });
    }
    const blob = await store.getBlob(orgId, hash);
    if (!blob) return fail(c, 404, 'not_found', 'This organisation has no picture with that hash.');
    // Content never changes under its hash; private because it needs a token.
    return c.body(blob.bytes.buffer.slice(blob.bytes.byteOffset, blob.bytes.byteOffset + blob.bytes.byteLength) as ArrayBuffer, 200, {
      'Content-Type': blob.type,
      'Cache-Control': 'private, max-age=31536000, immutable',
    });
  });

  routes.put(
    blobPath,
    async (c, next) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!(BLOB_TYPES as readonly string[]).includes(type)) return fail(c, 415, 'unsupported_media_type', `Pictures must be one of ${BLOB_TYPES.join(', ')}.`);
      return next();
    },
    bodyLimit({
      maxSize: LIMITS.blobBytes,
      onError: (c) => fail(c, 413, 'payload_too_large', `Pictures may be at most ${LIMITS.blobBytes} bytes. Make it smaller.`),
    }),
    async (c) => {
      const hash = hashOf(c);
      if (!hash) return fail(c, 400, 'bad_request', 'A picture is named by the SHA-256 of its bytes: 64 lowercase hex digits.');
      const type = c.req.header('content-type')!.split(';')[0]!.trim().toLowerCase() as (typeof BLOB_TYPES)[number];
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (sha256Hex(bytes) !== hash)
        return fail(c, 400, 'hash_mismatch', 'The bytes do not match the SHA-256 in the address. Nothing was stored; upload again.');
      // The header's own width and height: a small file may decode to a bitmap no tablet can hold.
      const size = pictureSize(bytes, type);
      if (!size) return fail(c, 400, 'bad_request', `The bytes are not a ${type} picture.`);
      const tooLarge = pictureSizeProblem(size);
      if (tooLarge) return fail(c, 400, 'bad_request', tooLarge);
      const stored = await store.putBlob(c.get('device').orgId, { hash, type, size: bytes.byteLength, bytes }, now(), blobQuotaBytes);
      if (typeof stored === 'object') {
        const { usedBytes, quotaBytes } = stored.quotaExceeded;
        return fail(
          c,
          507,
          'quota_exceeded',
          `The organisation's pictures already take ${amount(usedBytes)} of the ${amount(quotaBytes)} it has on the server, so this picture was not stored. ` +
            'Remove pictures from guides you no longer need, or ask your administrator for more room.',
        );
      }
      return c.json({ hash, size: bytes.byteLength, stored } satisfies PictureStoredResponse, stored === 'new' ? 201 : 200);
    },
  );
  return routes;
}
