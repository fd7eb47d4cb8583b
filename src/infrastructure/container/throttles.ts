import type { Bind, ServiceIdentifier } from 'inversify';
import {
  RateLimiterLoginThrottle,
  type ThrottleSettings,
} from '../../adapters/throttle/rate-limiter-login-throttle.js';
import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { Config } from '../config.js';
import { TOKENS as T } from './tokens.js';

/** A throttle of its own name, shared through Redis when REDIS_URL is set (as login's is). */
export function bindThrottle(
  bind: Bind,
  config: Config,
  id: ServiceIdentifier<LoginThrottle>,
  settings: ThrottleSettings,
  kind?: ConstructorParameters<typeof RateLimiterLoginThrottle>[2],
): void {
  if (config.throttle.redisUrl) {
    bind(id).toResolvedValue((redis) => new RateLimiterLoginThrottle(settings, redis, kind), [T.Redis]);
  } else {
    bind(id).toResolvedValue(() => new RateLimiterLoginThrottle(settings, undefined, kind));
  }
}
