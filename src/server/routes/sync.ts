// Owns the sync API a device uses once it has a credential: push, pull, reconciliation (digest, buckets, records) and
// the organisation's note key. The work itself is in src/server/sync; here are its edges.
import { Hono } from 'hono';
import {
  CURSOR_HEADER,
  LIMITS,
  RETENTION_DEFAULT_MONTHS,
  numberedMutations,
  bucketsRequest,
  pullQuery,
  pushRequest,
  recordsRequest,
  visibleFrom,
  type OrgNoteKeyResponse,
} from '../../protocol';
import type { Device } from '../store';
import { MutationConflict, MutationGap, MutationsOutOfOrder, applyPush } from '../sync/push';
import { pullChanges, seenByCursor } from '../sync/pull';
import { bucketRecordsFor, digestFor, recordsFor } from '../sync/reconcile';
import { orgNotePublicKey } from '../sync/sealed-notes';
import type { Gates, RouteContext } from './context';
import { fail, jsonOnly, requireProtocol, sentBody, validBody, validQuery, type Env } from './edge';

export function syncRoutes(context: RouteContext, gates: Gates): Hono<Env> {
  const { store, now } = context;
  const routes = new Hono<Env>();
  const { requireDevice, requireNotBehind, noteTabletReport } = gates;

  // From when the device sees its site's logs and feedback: the pull window, and never what retention deletes.
  const datedFromFor = async (device: Device) =>
    visibleFrom(now(), context.pullWindowMonths, (await store.getRetention(device.orgId))?.months ?? RETENTION_DEFAULT_MONTHS);

  routes.use('/push', requireProtocol, requireDevice, requireNotBehind, noteTabletReport);
  routes.use('/pull', requireProtocol, requireDevice, requireNotBehind, noteTabletReport);
  routes.use('/digest', requireProtocol, requireDevice, requireNotBehind);
  routes.use('/digest/*', requireProtocol, requireDevice, requireNotBehind);
  routes.use('/records', requireProtocol, requireDevice, requireNotBehind);
  routes.use('/org-note-key', requireProtocol, requireDevice);

  // The organisation's note key, for tablets enrolled before it existed (README, "Session notes").
  routes.get('/org-note-key', async (c) => {
    const response: OrgNoteKeyResponse = { orgNoteKey: await orgNotePublicKey(store, c.get('device').orgId, now()) };
    return c.json(response);
  });

  routes.post('/push', jsonOnly(LIMITS.pushBodyBytes), validBody(pushRequest, 'The push'), async (c) => {
    const device = c.get('device');
    const push = c.req.valid('json');
    if (push.deviceId !== undefined && push.deviceId !== device.id) return fail(c, 403, 'forbidden', 'The push names another device than the token.');
    // Each mutation as sent, not as parsed: the schema's copy would lose a key such as "__proto__" instead of refusing it.
    const numbered = numberedMutations(push, (sentBody(c) as { mutations: typeof push.mutations }).mutations);
    if ('problem' in numbered) return fail(c, 400, 'bad_request', `The push is not right: ${numbered.problem}.`);
    const { mutations } = numbered;
    try {
      const pulledUpTo = await seenByCursor(store, device, c.req.header(CURSOR_HEADER));
      return c.json(await applyPush(store, device, mutations, now(), pulledUpTo));
    } catch (error) {
      if (error instanceof MutationGap) return fail(c, 409, 'mutation_gap', error.message, { expected: error.expected });
      if (error instanceof MutationConflict) return fail(c, 409, 'mutation_conflict', error.message, { expected: error.expected });
      if (error instanceof MutationsOutOfOrder) return fail(c, 400, 'bad_request', error.message, { expected: error.expected });
      throw error;
    }
  });

  routes.get('/pull', validQuery(pullQuery, 'The pull query'), async (c) => {
    const query = c.req.valid('query');
    const limit = query.limit === undefined ? undefined : Number(query.limit);
    return c.json(await pullChanges(store, c.get('device'), query.cursor, limit, now(), query.clocks === 'compact', await datedFromFor(c.get('device'))));
  });

  // Reconciliation (README): what the device may see, as bucket hashes, bucket lists and whole records by id.
  routes.get('/digest', async (c) => c.json(await digestFor(store, c.get('device'), now(), await datedFromFor(c.get('device')))));

  routes.post('/digest/buckets', jsonOnly(LIMITS.reconcileBodyBytes), validBody(bucketsRequest, 'The bucket request'), async (c) =>
    c.json(await bucketRecordsFor(store, c.get('device'), c.req.valid('json'), await datedFromFor(c.get('device')))),
  );

  routes.post('/records', jsonOnly(LIMITS.reconcileBodyBytes), validBody(recordsRequest, 'The records request'), async (c) =>
    c.json(await recordsFor(store, c.get('device'), c.req.valid('json'), now(), await datedFromFor(c.get('device')))),
  );

  return routes;
}
