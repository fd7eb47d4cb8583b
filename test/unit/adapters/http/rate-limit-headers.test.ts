import { expect } from 'chai';
import { rateLimitHeaders } from '../../../../src/adapters/http/rate-limit-headers.js';
import { reportRateLimit, trackRateLimits } from '../../../../src/shared/rate-limits.js';

const state = (policy: string, remaining: number) => ({
  policy,
  quota: 5,
  windowSeconds: 900,
  remaining,
  resetSeconds: 42,
});

describe('RateLimit headers', () => {
  it('are structured-field lists, one item per policy', () => {
    expect(rateLimitHeaders([state('login-account', 4), state('login-client', 19)])).to.deep.equal({
      'RateLimit-Policy': '"login-account";q=5;w=900, "login-client";q=5;w=900',
      RateLimit: '"login-account";r=4;t=42, "login-client";r=19;t=42',
    });
  });

  it('are absent when nothing counted', () => {
    expect(rateLimitHeaders([])).to.equal(undefined);
  });

  it('keep the last report of each policy made inside the tracked work, failed or not, and none outside', async () => {
    reportRateLimit(state('outside', 1));
    const { states, done } = trackRateLimits(async () => {
      reportRateLimit(state('login-account', 4));
      await new Promise((r) => setImmediate(r));
      reportRateLimit(state('login-account', 3));
      throw new Error('wrong password');
    });
    await done.catch(() => undefined);
    expect([...states.values()]).to.deep.equal([state('login-account', 3)]);
  });
});
