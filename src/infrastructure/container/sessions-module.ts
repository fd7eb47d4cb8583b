import { hkdfSync } from 'node:crypto';
import { once } from 'node:events';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import type { Redis } from 'ioredis';
import { HmacOpaqueTokens } from '../../adapters/auth/hmac-opaque-tokens.js';
import { sessionRoutes } from '../../adapters/http/routes/sessions.js';
import { EndSession } from '../../application/sessions/end-session.js';
import { RefreshSession } from '../../application/sessions/refresh-session.js';
import { RevokeUserSessions } from '../../application/sessions/revoke-user-sessions.js';
import { StartSession } from '../../application/sessions/start-session.js';
import { DomainError } from '../../domain/errors.js';
import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { Config } from '../config.js';
import { bindThrottle } from './throttles.js';
import { TOKENS as T } from './tokens.js';

/** Refreshes per client address (REFRESH_MAX_PER_CLIENT): only the refresh route uses it. */
const RefreshThrottle = Symbol.for('portico.RefreshThrottle') as ServiceIdentifier<LoginThrottle>;

const refreshThrottled = (retryAfterSeconds: number) =>
  new DomainError(
    'AUTH.THROTTLED',
    'Too many refreshes from this client; try again later.',
    undefined,
    retryAfterSeconds,
  );

const REDIS_READY_WAIT_MS = 2_000;

/**
 * Connects; with no offline queue, a login made before the connection is up would be counted in this
 * process only. ioredis is loaded here, only when REDIS_URL is set: about 250 KiB of code otherwise idle.
 */
async function connectRedis(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => undefined); // the limiter falls back to memory; ioredis reconnects by itself
  // So boot waits (briefly) for it, and a Redis still down after that is the fallback.
  if (redis.status !== 'ready')
    await Promise.race([once(redis, 'ready'), new Promise((r) => setTimeout(r, REDIS_READY_WAIT_MS).unref())]);
  return redis;
}

/** Refresh-token sessions, login throttling (shared through Redis when REDIS_URL is set) and the session routes. */
export function sessionsModule(config: Config): ContainerModule {
  const settings = config.sessions;
  const { redisUrl } = config.throttle;
  return new ContainerModule(({ bind }) => {
    // The successor key needs to be the same on every instance for the grace window to hold across
    // them. REFRESH_TOKEN_SECRET is best (it survives signing-key rotation); else it is derived from
    // the signing key as loaded at boot.
    bind(T.OpaqueTokens).toResolvedValue(
      (pem) =>
        new HmacOpaqueTokens(
          Buffer.from(hkdfSync('sha256', settings.secret ?? pem, 'portico', 'refresh-token-successor', 32)),
        ),
      [T.SigningKeyPem],
    );
    if (redisUrl) {
      bind(T.Redis)
        .toResolvedValue(() => connectRedis(redisUrl))
        .onDeactivation((redis) => void redis.disconnect());
    }
    bindThrottle(bind, config, T.LoginThrottle, config.throttle);
    bindThrottle(bind, config, RefreshThrottle, settings.throttle, { name: 'refresh', refusal: refreshThrottled });
    bind(StartSession).toResolvedValue(
      (...a) => new StartSession(...a, settings),
      [T.RefreshTokenStore, T.OpaqueTokens, T.IdGenerator, T.Clock, T.UserStore],
    );
    bind(RefreshSession).toResolvedValue(
      (...a) => new RefreshSession(...a, settings),
      [
        T.RefreshTokenStore,
        T.OpaqueTokens,
        T.UserStore,
        T.TokenService,
        T.Clock,
        StartSession,
        RefreshThrottle,
        T.UnitOfWork,
      ],
    );
    bind(EndSession).toResolvedValue((...a) => new EndSession(...a), [T.RefreshTokenStore, T.OpaqueTokens, T.Clock]);
    bind(RevokeUserSessions).toResolvedValue((...a) => new RevokeUserSessions(...a), [T.RefreshTokenStore, T.Clock]);
    bind(T.Routes).toResolvedValue(
      (refreshSession, endSession) => (api) => sessionRoutes(api, { refreshSession, endSession }),
      [RefreshSession, EndSession],
    );
  });
}
