// Owns reading the enrolment code from the link the administrator was given: `/enrol#code=…` (in the fragment, which
// a browser never sends, so the code stays out of server and proxy logs), or `/enrol?code=…` from links printed before.

export function enrolmentCodeFromLink(search: string, hash: string): string {
  const fromFragment = new URLSearchParams(hash.replace(/^#/, '')).get('code');
  return (fromFragment ?? new URLSearchParams(search).get('code') ?? '').trim();
}

/** Where the enrolment link leads: the sync screen (behind the PIN), the code carried in the fragment only. */
export function syncScreenAddress(code: string): string {
  return code ? `/instructor/sync#code=${encodeURIComponent(code)}` : '/instructor/sync';
}
