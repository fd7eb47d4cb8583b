import { trackRateLimits, type RateLimitState } from '../../shared/rate-limits.js';
import type { RouteContext } from './context.js';

/**
 * The IETF httpapi draft "RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers),
 * as structured-field lists, one item per policy the request counted against:
 * `RateLimit-Policy: "login-account";q=5;w=900, "login-client";q=20;w=900` and
 * `RateLimit: "login-account";r=4;t=900, "login-client";r=19;t=900`.
 */
export function rateLimitHeaders(states: Iterable<RateLimitState>): Record<string, string> | undefined {
  const items = [...states];
  if (!items.length) return undefined;
  return {
    'RateLimit-Policy': items.map((s) => `"${s.policy}";q=${s.quota};w=${s.windowSeconds}`).join(', '),
    RateLimit: items.map((s) => `"${s.policy}";r=${s.remaining};t=${s.resetSeconds}`).join(', '),
  };
}

/** For the OpenAPI document: what every answer of a throttled route carries. */
export const RATE_LIMIT_HEADERS: Record<string, { description: string; schema: { type: 'string' } }> = {
  'RateLimit-Policy': {
    description: 'The quotas this route counts against: `"<policy>";q=<requests>;w=<window seconds>`, comma-separated',
    schema: { type: 'string' },
  },
  RateLimit: {
    description: 'Where each stands: `"<policy>";r=<remaining>;t=<seconds until whole again>`, comma-separated',
    schema: { type: 'string' },
  },
};

/**
 * Runs a throttled route's work and answers with the RateLimit headers its throttles reported, on
 * success and on a problem (a 401 for a wrong password tells how many tries are left; a 429 keeps
 * its Retry-After beside them).
 */
export async function withRateLimits(ctx: RouteContext, work: () => Promise<void>): Promise<void> {
  const { states, done } = trackRateLimits(work);
  try {
    await done;
  } finally {
    const headers = rateLimitHeaders(states.values());
    if (headers) {
      ctx.set(headers);
      ctx.state.problemHeaders = { ...ctx.state.problemHeaders, ...headers };
    }
  }
}
