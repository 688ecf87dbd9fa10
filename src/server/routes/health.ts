// Owns GET /v1/health: whether the store answers, and what this server understands (the tablet reads `features`).
import { Hono } from 'hono';
import { SERVER_FEATURES } from '../../protocol';
import type { HealthResponse } from '../../protocol/responses';
import type { Store } from '../store';

export function healthRoutes(store: Store, version: string): Hono {
  return new Hono().get('/health', async (c) => {
    const ready = await store.ping().catch(() => false);
    return c.json(
      { status: ready ? 'ok' : 'unavailable', version, storage: store.kind, features: [...SERVER_FEATURES] } satisfies HealthResponse,
      ready ? 200 : 503,
    );
  });
}
