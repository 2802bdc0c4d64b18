export type RateLimitOptions = {
  /** Burst size: writes a client may make at once (default 30). */
  requests: number;
  /** Time for an empty bucket to refill completely, in ms (default 10,000). */
  windowMs: number;
};

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type RateLimiter = {
  /** Takes one token from the client's bucket, or says how long until one is back. */
  take(client: string): RateLimitDecision;
};

export const defaultRateLimit: RateLimitOptions = { requests: 30, windowMs: 10_000 };

// Above this many tracked clients, full buckets (clients quiet for a whole window) are forgotten.
const PRUNE_ABOVE = 10_000;

/**
 * A token bucket per client: `requests` tokens, refilled continuously over `windowMs`.
 *
 * @example
 * const limiter = createRateLimiter({ requests: 30, windowMs: 10_000 });
 * const decision = limiter.take(req.socket.remoteAddress ?? 'unknown');
 */
export function createRateLimiter(options: RateLimitOptions = defaultRateLimit, now: () => number = Date.now): RateLimiter {
  const perMs = options.requests / options.windowMs;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refilled = (bucket: { tokens: number; at: number }, time: number) =>
    Math.min(options.requests, bucket.tokens + (time - bucket.at) * perMs);
  return {
    take(client) {
      const time = now();
      if (buckets.size > PRUNE_ABOVE) {
        for (const [key, bucket] of buckets) if (refilled(bucket, time) >= options.requests) buckets.delete(key);
      }
      const bucket = buckets.get(client) ?? { tokens: options.requests, at: time };
      const tokens = refilled(bucket, time);
      if (tokens < 1) {
        buckets.set(client, { tokens, at: time });
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
      }
      buckets.set(client, { tokens: tokens - 1, at: time });
      return { allowed: true };
    },
  };
}
