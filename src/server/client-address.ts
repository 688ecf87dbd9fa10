// Owns telling which client sent a request: the socket's address, or — only when the operator says how many proxies
// of their own stand in front (TRUST_PROXY) — the address the outermost of those proxies saw.
//
// The hop rule: each proxy appends the address it received the request from to X-Forwarded-For. With TRUST_PROXY=N
// the last N addresses of the chain [X-Forwarded-For…, socket] were written by our own proxies (the socket being the
// innermost one), so the address just before them is the client's. Anything further left was written by the client
// itself and is never believed.

/** Longest address kept as a rate-limit key: an IPv6 address with a zone fits; a made-up header does not grow memory. */
const ADDRESS_CHARS = 64;

export function clientAddressFrom(forwardedFor: string | undefined, socket: string, trustProxy: number): string {
  if (trustProxy <= 0 || !forwardedFor) return socket;
  const chain = [
    ...forwardedFor
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
    socket,
  ];
  return chain[Math.max(0, chain.length - 1 - trustProxy)]!.slice(0, ADDRESS_CHARS);
}
