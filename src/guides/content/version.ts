// The edition of the built-in content, stored on each built-in guide row. Raise it with every content change;
// tablets notice a change anyway by the build-time fingerprint of this folder (see vite.config.ts).
export const CONTENT_VERSION = 3;
