// Every answer carries the security headers, also one whose own headers cannot change (Response.redirect gives such
// an answer): the middleware copies it once instead of failing the request.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, securityHeaders } from '../../src/server/headers';

describe('the security headers', () => {
  const app = new Hono();
  app.use('*', securityHeaders());
  app.get('/fixed', () => Response.redirect('https://digituki.example/', 302));
  app.get('/plain', (c) => c.json({ ok: true }));

  it('are set on an answer whose headers cannot change, which keeps its status and its own headers', async () => {
    const response = await app.request('/fixed');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://digituki.example/');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('are set on an ordinary answer, whose body stays as it was', async () => {
    const response = await app.request('/plain');
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
