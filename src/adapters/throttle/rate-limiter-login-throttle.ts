import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { DomainError } from '../../domain/errors.js';
import type { LoginAttempt, LoginThrottle } from '../../domain/ports/login-throttle.js';

export interface ThrottleSettings {
  /** Failed attempts allowed per account within the window. */
  perAccount: number;
  /** Failed attempts allowed per client address within the window. */
  perClient: number;
  windowSeconds: number;
}

/**
 * Counts failed logins per account and per client (rate-limiter-flexible). With a Redis client the
 * counts are shared by every process; without one they live in this process. A Redis outage falls
 * back to in-process counting (insurance limiter) rather than letting every attempt through.
 */
export class RateLimiterLoginThrottle implements LoginThrottle {
  private readonly account: RateLimiterAbstract;
  private readonly client: RateLimiterAbstract;

  constructor(private readonly settings: ThrottleSettings, redis?: Redis) {
    const make = (prefix: string, points: number): RateLimiterAbstract => {
      const base = { keyPrefix: `login:${prefix}`, points, duration: settings.windowSeconds, blockDuration: settings.windowSeconds };
      const memory = new RateLimiterMemory(base);
      return redis ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: memory }) : memory;
    };
    this.account = make('account', settings.perAccount);
    this.client = make('client', settings.perClient);
  }

  async assertAllowed(attempt: LoginAttempt): Promise<void> {
    const [byAccount, byClient] = await Promise.all([this.account.get(attempt.account), this.client.get(attempt.client)]);
    const waits = [
      exhausted(byAccount, this.settings.perAccount),
      exhausted(byClient, this.settings.perClient),
    ].filter((ms): ms is number => ms !== null);
    if (waits.length) {
      throw new DomainError('AUTH.THROTTLED', 'Too many failed logins; try again later.', undefined, Math.ceil(Math.max(...waits) / 1000));
    }
  }

  async recordFailure(attempt: LoginAttempt): Promise<void> {
    await Promise.all([spend(this.account, attempt.account), spend(this.client, attempt.client)]);
  }

  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    await this.account.delete(attempt.account);
  }
}

const exhausted = (res: RateLimiterRes | null, points: number) =>
  res && res.consumedPoints >= points && res.msBeforeNext > 0 ? res.msBeforeNext : null;

/** Consuming past the limit rejects with a RateLimiterRes: that is the expected outcome here. */
async function spend(limiter: RateLimiterAbstract, key: string): Promise<void> {
  await limiter.consume(key).catch((reason: unknown) => {
    if (!(reason instanceof RateLimiterRes)) throw reason;
  });
}
