import { hkdfSync } from 'node:crypto';
import { ContainerModule } from 'inversify';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { HmacOpaqueTokens } from '../../adapters/auth/hmac-opaque-tokens.js';
import { RateLimiterLoginThrottle } from '../../adapters/throttle/rate-limiter-login-throttle.js';
import { EndSession } from '../../application/sessions/end-session.js';
import { RefreshSession } from '../../application/sessions/refresh-session.js';
import { RevokeUserSessions } from '../../application/sessions/revoke-user-sessions.js';
import { StartSession } from '../../application/sessions/start-session.js';
import type { Config } from '../config.js';
import { devSigningKeyPem } from '../dev-signing-key.js';
import { TOKENS as T } from '../tokens.js';
import type { Resources } from './resources.js';

const REDIS_READY_WAIT_MS = 2_000;

/** Refresh-token sessions and login throttling (shared through Redis when REDIS_URL is set). */
export async function sessionsModule(config: Config, resources: Resources): Promise<ContainerModule> {
  // The successor key needs to be the same on every instance for the grace window to hold across
  // them. REFRESH_TOKEN_SECRET is best (it survives signing-key rotation); else it is derived from
  // the signing key as loaded at boot.
  const pem = config.sessions.secret ?? config.jwt.privateKey ?? (await devSigningKeyPem(config.dataDir));
  const successorKey = Buffer.from(hkdfSync('sha256', pem, 'portico', 'refresh-token-successor', 32));
  const redis = config.throttle.redisUrl ? new Redis(config.throttle.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
  if (redis) {
    redis.on('error', () => undefined); // the limiter falls back to memory; ioredis reconnects by itself
    resources.onClose(async () => void redis.disconnect());
    // With no offline queue, a login made before the connection is up would be counted in this
    // process only; so boot waits (briefly) for it, and a Redis still down after that is the fallback.
    if (redis.status !== 'ready') await Promise.race([once(redis, 'ready'), new Promise((r) => setTimeout(r, REDIS_READY_WAIT_MS).unref())]);
  }
  const settings = config.sessions;
  return new ContainerModule(({ bind }) => {
    bind(T.OpaqueTokens).toConstantValue(new HmacOpaqueTokens(successorKey));
    bind(T.LoginThrottle).toConstantValue(new RateLimiterLoginThrottle(config.throttle, redis));
    bind(T.StartSession).toResolvedValue((...a) => new StartSession(...a, settings), [T.RefreshTokenStore, T.OpaqueTokens, T.IdGenerator, T.Clock]);
    bind(T.RefreshSession).toResolvedValue(
      (...a) => new RefreshSession(...a, settings),
      [T.RefreshTokenStore, T.OpaqueTokens, T.UserStore, T.TokenService, T.Clock, T.StartSession],
    );
    bind(T.EndSession).toResolvedValue((...a) => new EndSession(...a), [T.RefreshTokenStore, T.OpaqueTokens, T.Clock]);
    bind(T.RevokeUserSessions).toResolvedValue((...a) => new RevokeUserSessions(...a), [T.RefreshTokenStore, T.Clock]);
  });
}
