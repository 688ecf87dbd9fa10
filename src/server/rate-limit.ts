// Owns request rate limiting: a token bucket per key (device id; client address or code for enrolment; client address
// for failed token attempts), in this process's memory.
//
// The buckets are per server process: behind a load balancer with N processes a device gets up to N times the rate.
// That is enough to stop a runaway tablet or a script from flooding one process, which is the purpose here.

export interface RateLimit {
  /** Requests allowed at once after a quiet spell. */
  burst: number;
  /** Requests regained per second. */
  perSecond: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MAX_BUCKETS = 50_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limit: RateLimit) {}

  /** Takes one token for `key`; when none is left, says how many whole seconds until one is. */
  take(key: string, now: number): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const bucket = this.refill(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond)) };
  }

  /** Whether `key` has no token left, without taking one: the seconds until it has, or undefined when it has one. */
  waitFor(key: string, now: number): number | undefined {
    const bucket = this.buckets.get(key);
    if (!bucket) return undefined;
    const tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.limit.perSecond);
    return tokens >= 1 ? undefined : Math.max(1, Math.ceil((1 - tokens) / this.limit.perSecond));
  }

  private refill(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.forgetFullBuckets(now);
      bucket = { tokens: this.limit.burst, updatedAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.limit.perSecond);
    bucket.updatedAt = now;
    return bucket;
  }

  // A bucket that would be full again carries no information: dropping it bounds memory under many keys.
  private forgetFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.limit.perSecond >= this.limit.burst) this.buckets.delete(key);
    }
    if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
  }
}
