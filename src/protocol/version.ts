// Owns the protocol's version number, its HTTP header and the limits both sides agree on.

/** Bumped only when an old client could misread a new server (see README: versioning). 2: device keys (issue 13). */
export const PROTOCOL_VERSION = 2;
/** The oldest version a server still answers: v1 tablets keep syncing with their bearer tokens until they bind a key. */
export const OLDEST_PROTOCOL_VERSION = 1;
/** Every /v1 request but the health check carries this header with PROTOCOL_VERSION. */
export const PROTOCOL_HEADER = 'Digituki-Protocol';
/**
 * A tablet sends the last mutationId the server acknowledged to it. A server that has less lost what it had
 * acknowledged (a restored database): it answers 409 mutation_gap with `serverBehind: true`. Older servers ignore it.
 */
export const ACKNOWLEDGED_HEADER = 'Digituki-Acknowledged';
/** A tablet names its app version and how many changes wait in its outbox, for the coordinator's console; optional. */
export const APP_VERSION_HEADER = 'Digituki-App-Version';
export const WAITING_HEADER = 'Digituki-Waiting';
/** A push may carry the tablet's pull cursor ("0" before its first pull): see PushResponse.cursor. Older servers ignore it. */
export const CURSOR_HEADER = 'Digituki-Cursor';

/**
 * What a server understands beyond the first release of protocol 1, listed by GET /v1/health as `features`:
 * `fieldClocks` in a mutation, `clocks=compact` pulls, a pull cursor in push answers, gzip request bodies, and a push
 * that numbers its mutations by `firstMutationId` instead of each its own `mutationId`.
 */
export const SERVER_FEATURES = ['fieldClocks', 'compactClocks', 'pushCursor', 'gzipRequests', 'firstMutationId'] as const;
export type ServerFeature = (typeof SERVER_FEATURES)[number];

export const LIMITS = {
  /** Largest JSON body of POST /v1/push, in bytes. */
  pushBodyBytes: 1024 * 1024,
  /** Largest JSON body of POST /v1/enrol, in bytes. */
  enrolBodyBytes: 4 * 1024,
  /** Deepest nesting of arrays and objects in a JSON body; a push needs six levels. */
  jsonDepth: 32,
  /** Most mutations in one push; send the rest in the next push. */
  mutationsPerPush: 500,
  /** Largest JSON body of the reconciliation requests (POST /v1/digest/buckets, POST /v1/records), in bytes. */
  reconcileBodyBytes: 64 * 1024,
  /** Largest picture accepted by PUT /v1/blobs/{sha256}, in bytes. */
  blobBytes: 2 * 1024 * 1024,
  /** Widest or highest picture, in pixels, and most pixels in all: what its header says, checked before it is stored. */
  pictureMaxSide: 4096,
  pictureMaxPixels: 16_000_000,
  /** Changes per pull page when the client does not say, and the most it may ask for. */
  pullDefault: 200,
  pullMax: 1000,
  /** A clock further than this ahead of the server's is clamped (a tablet with a wrong date must not win every edit). */
  clockDriftMs: 60_000,
} as const;

/** The only picture types a blob may have: what the guide editor's camera and image picker produce. */
export const BLOB_TYPES = ['image/webp', 'image/jpeg', 'image/png'] as const;
export type BlobType = (typeof BLOB_TYPES)[number];
