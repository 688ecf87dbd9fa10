// Owns compressing the API's JSON answers: the whole body at once with Node's zlib on libuv's thread pool, so a large
// pull page is packed beside the event loop instead of chunk by chunk through a web stream. The negotiation is
// hono/compress's own (gzip or deflate by Accept-Encoding, 1 KiB threshold, no-transform respected, Vary added), and
// every other answer (pages, scripts) is still left to hono/compress, which sees the Content-Encoding set here and skips.
import { promisify } from 'node:util';
import { deflate, gzip } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { parseAccept } from 'hono/utils/accept';

const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

/** Below this many bytes an answer goes as it is (hono/compress's default threshold). */
const THRESHOLD_BYTES = 1024;
const ENCODINGS = ['gzip', 'deflate'] as const;
type Encoding = (typeof ENCODINGS)[number];
const NO_TRANSFORM = /(?:^|,)\s*?no-transform\s*?(?:,|$)/i;
const VARY_ACCEPT_ENCODING = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i;

/** The encoding hono/compress would pick for this Accept-Encoding: the first with q=1, else the highest q above 0. */
export function chosenEncoding(header: string | undefined): Encoding | undefined {
  if (header === undefined) return undefined;
  const accepts = parseAccept(header);
  const wildcard = accepts.find((accept) => accept.type === '*')?.q;
  let best: { encoding: Encoding; q: number } | undefined;
  for (const encoding of ENCODINGS) {
    const q = accepts.find((accept) => accept.type.toLowerCase() === encoding)?.q ?? wildcard ?? 0;
    if (q === 1) return encoding;
    if (q > 0 && (!best || q > best.q)) best = { encoding, q };
  }
  return best?.encoding;
}

/**
 * Replaces the answer as it is: Hono's setter would copy the old answer's headers (its Content-Length among them) over
 * the new one's and wrap the body in a stream again.
 */
function answer(c: Context, res: Response): void {
  c.res = undefined;
  c.res = res;
}

export function compressJson(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get('Content-Type');
    const length = res.headers.get('Content-Length');
    if (!type?.startsWith('application/json') || !res.body || c.req.method === 'HEAD' || res.status === 206) return;
    if (res.headers.has('Content-Encoding') || res.headers.has('Transfer-Encoding') || (length && Number(length) < THRESHOLD_BYTES)) return;
    if (NO_TRANSFORM.test(res.headers.get('Cache-Control') ?? '')) return;
    const vary = res.headers.get('Vary');
    if (vary !== '*' && !(vary && VARY_ACCEPT_ENCODING.test(vary))) res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const encoding = chosenEncoding(c.req.header('Accept-Encoding'));
    if (!encoding) return;
    const plain = Buffer.from(await res.arrayBuffer());
    // The answer's own headers (status, type, Vary and whatever an inner handler set) go with the packed body.
    const headers = new Headers(res.headers);
    // hono/compress packs an answer of unknown length however short; a known length under the threshold it leaves be.
    if (plain.length < THRESHOLD_BYTES) {
      headers.set('Content-Length', String(plain.length));
      return answer(c, new Response(plain, { status: res.status, headers }));
    }
    const packed = await (encoding === 'gzip' ? gzipAsync(plain) : deflateAsync(plain));
    headers.set('Content-Encoding', encoding);
    headers.set('Content-Length', String(packed.length));
    answer(c, new Response(packed, { status: res.status, headers }));
  };
}
