// Owns the security headers on every response: a strict CSP (the built app has no inline script), no sniffing, no referrer.
import type { MiddlewareHandler } from 'hono';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:", // built-in pictures are files here, own ones blob: URLs; never data: (issue 12.1)
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

// The guide editor photographs steps, so the camera stays allowed for the app itself and nothing else is.
export const PERMISSIONS_POLICY = 'camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

/** A year: browsers that once reached the server over HTTPS never try plain HTTP for it again. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/** `hsts`: the server is reached over HTTPS (PUBLIC_URL starts with https://), so browsers must keep to it. */
export function securityHeaders(options: { hsts?: boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // On the answer's own headers: c.header would make a new answer around the body for each of them. An answer whose
    // headers cannot change (Response.redirect, a fetched answer) is copied once into one whose headers can.
    if (!headersCanChange(c.res.headers)) c.res = new Response(c.res.body, c.res);
    const headers = c.res.headers;
    if (options.hsts) headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('Referrer-Policy', 'no-referrer');
    headers.set('Permissions-Policy', PERMISSIONS_POLICY);
    headers.set('X-Frame-Options', 'DENY');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  };
}

function headersCanChange(headers: Headers): boolean {
  try {
    headers.set('X-Content-Type-Options', 'nosniff'); // set below anyway: trying it changes nothing else
    return true;
  } catch {
    return false;
  }
}
