import { AsyncLocalStorage } from 'node:async_hooks';

/** Where one quota of one throttle stands after a request spent (or got back) from it. */
export interface RateLimitState {
  /** The policy's name, as the headers show it (`login-account`). */
  policy: string;
  /** Requests allowed per window. */
  quota: number;
  windowSeconds: number;
  /** Left in the current window. */
  remaining: number;
  /** Seconds until the quota is whole again. */
  resetSeconds: number;
}

const scope = new AsyncLocalStorage<Map<string, RateLimitState>>();

/**
 * Runs `work` with a place where the throttles it goes through record their state (the last word
 * for each policy wins); `states` is filled in as it runs, failed or not. Only the throttled routes
 * open one, so no other request pays for the async context.
 */
export function trackRateLimits<T>(work: () => Promise<T>): { states: Map<string, RateLimitState>; done: Promise<T> } {
  const states = new Map<string, RateLimitState>();
  return { states, done: scope.run(states, work) };
}

/** Called by a throttle after it counted; nothing happens outside trackRateLimits. */
export function reportRateLimit(state: RateLimitState): void {
  scope.getStore()?.set(state.policy, state);
}
