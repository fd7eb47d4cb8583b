import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { LoginAttempt, LoginThrottle } from '../../domain/ports/login-throttle.js';
import { loginThrottled } from '../../domain/session/session-errors.js';
import { reportRateLimit, type RateLimitState } from '../../shared/rate-limits.js';

export interface ThrottleSettings {
  /** 0: no per-account quota, only the client's (refresh, where the credential is the token itself). */
  /** Failed attempts (those still being checked included) allowed per account within the window. */
  perAccount: number;
  /** Failed attempts (those still being checked included) allowed per client address within the window. */
  perClient: number;
  windowSeconds: number;
}

/**
 * Counts login attempts per account and per client (rate-limiter-flexible). An attempt is spent with
 * `consume` before its password is checked: `consume` is atomic in memory and in Redis, so attempts
 * sent at once are admitted one by one and no more than the limit reach the password check. A right
 * password clears the account's count and gives the client its attempt back, so what stays counted
 * are failures. The first attempt past a limit locks it for the window (blockDuration).
 *
 * With a Redis client the counts are shared by every process; without one they live in this process.
 * A Redis outage falls back to in-process counting (insurance limiter) rather than letting every
 * attempt through.
 */
export class RateLimiterLoginThrottle implements LoginThrottle {
  private readonly account: RateLimiterAbstract | undefined;
  private readonly client: RateLimiterAbstract;

  constructor(
    settings: ThrottleSettings,
    redis?: Redis,
    /** What is counted (the keys' prefix in Redis) and the error a refusal throws. */
    private readonly kind: { name: string; refusal: (retryAfterSeconds: number) => Error } = {
      name: 'login',
      refusal: loginThrottled,
    },
  ) {
    const make = (prefix: string, points: number): RateLimiterAbstract => {
      const base = {
        keyPrefix: `${kind.name}:${prefix}`,
        points,
        duration: settings.windowSeconds,
        blockDuration: settings.windowSeconds,
      };
      const memory = new RateLimiterMemory(base);
      return redis ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: memory }) : memory;
    };
    this.account = settings.perAccount > 0 ? make('account', settings.perAccount) : undefined;
    this.client = make('client', settings.perClient);
  }

  async consume(attempt: LoginAttempt): Promise<void> {
    const spends: Spend[] = [
      ...(this.account ? [['account', this.account, attempt.account] as Spend] : []),
      ['client', this.client, attempt.client],
    ];
    const outcomes = await Promise.allSettled(spends.map(([, limiter, key]) => limiter.consume(key)));
    outcomes.forEach((o, i) => {
      const res = o.status === 'fulfilled' ? o.value : o.reason;
      if (res instanceof RateLimiterRes) this.report(spends[i]![0], res);
    });
    const refusals = outcomes
      .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
      .map((o) => o.reason as unknown);
    if (!refusals.length) return;
    // Refused attempts are never checked, so they are not failures: give back what the other limiter took.
    await Promise.all(
      spends
        .filter((_, i) => outcomes[i]!.status === 'fulfilled')
        .map(([which, limiter, key]) =>
          limiter
            .reward(key)
            .then((res) => this.report(which, res))
            .catch(() => undefined),
        ),
    );
    const unexpected = refusals.find((reason) => !(reason instanceof RateLimiterRes));
    if (unexpected !== undefined) throw unexpected;
    const waitMs = Math.max(...(refusals as RateLimiterRes[]).map((res) => res.msBeforeNext));
    throw this.kind.refusal(Math.max(1, Math.ceil(waitMs / 1000)));
  }

  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    const [, client] = await Promise.all([this.account?.delete(attempt.account), this.client.reward(attempt.client)]);
    this.report('client', client);
    if (this.account) reportRateLimit({ ...this.policy('account'), remaining: this.account.points, resetSeconds: 0 });
  }

  private policy(which: Which): Pick<RateLimitState, 'policy' | 'quota' | 'windowSeconds'> {
    const limiter = which === 'account' && this.account ? this.account : this.client;
    return { policy: `${this.kind.name}-${which}`, quota: limiter.points, windowSeconds: limiter.duration };
  }

  /** What the RateLimit headers of a throttled route show (src/shared/rate-limits.ts). */
  private report(which: Which, res: RateLimiterRes): void {
    reportRateLimit({
      ...this.policy(which),
      remaining: Math.max(0, res.remainingPoints),
      resetSeconds: Math.max(0, Math.ceil(res.msBeforeNext / 1000)),
    });
  }
}

type Which = 'account' | 'client';
type Spend = [Which, RateLimiterAbstract, string];
