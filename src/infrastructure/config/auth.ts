import { z } from 'zod';
import { int, type Rule } from './helpers.js';
import type { ServerValues } from './server.js';

export const authFields = {
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_ISSUER: z.string().min(1).default('portico'),
  JWT_AUDIENCE: z.string().min(1).default('portico-api'),
  JWT_ACCESS_TTL_S: int(30, 86_400).default(900),
  BCRYPT_COST: int(4, 15).default(12),
  BCRYPT_CONCURRENCY: int(1, 1024).optional(),
  UV_THREADPOOL_SIZE: int(1, 1024).default(4),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8).max(128).optional(),
  REFRESH_TOKEN_TTL_S: int(60, 31_536_000).default(2_592_000),
  REFRESH_REUSE_GRACE_S: int(0, 300).default(10),
  REFRESH_TOKEN_SECRET: z.string().min(32).optional(),
  REFRESH_MAX_PER_CLIENT: int(1, 1_000_000).default(300),
  REFRESH_THROTTLE_WINDOW_S: int(1, 86_400).default(60),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1, 1000).default(5),
  LOGIN_MAX_FAILURES_PER_CLIENT: int(1, 100_000).default(20),
  LOGIN_THROTTLE_WINDOW_S: int(1, 86_400).default(900),
  REDIS_URL: z.string().url().optional(),
};
type AuthValues = z.output<z.ZodObject<typeof authFields>>;

export const authRules: Rule<AuthValues & Pick<ServerValues, 'NODE_ENV'>>[] = [
  {
    name: 'ADMIN_PASSWORD',
    reads: ['ADMIN_EMAIL', 'ADMIN_PASSWORD'],
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together',
    broken: (v) => Boolean(v.ADMIN_EMAIL) !== Boolean(v.ADMIN_PASSWORD),
  },
  {
    name: 'JWT_PRIVATE_KEY',
    reads: ['NODE_ENV', 'JWT_PRIVATE_KEY'],
    message: 'required in production',
    broken: (v) => v.NODE_ENV === 'production' && !v.JWT_PRIVATE_KEY,
  },
];

/** Tokens, password hashing, sessions, login throttling and the boot-time admin. */
export const auth = (v: AuthValues) => ({
  jwt: {
    privateKey: v.JWT_PRIVATE_KEY,
    issuer: v.JWT_ISSUER,
    audience: v.JWT_AUDIENCE,
    accessTtlSeconds: v.JWT_ACCESS_TTL_S,
  },
  bcryptCost: v.BCRYPT_COST,
  /** bcrypt jobs in flight at once; the rest wait their turn, so the libuv pool keeps a thread for other work. */
  bcryptConcurrency: v.BCRYPT_CONCURRENCY ?? Math.max(1, v.UV_THREADPOOL_SIZE - 1),
  sessions: {
    refreshTtlSeconds: v.REFRESH_TOKEN_TTL_S,
    reuseGraceSeconds: v.REFRESH_REUSE_GRACE_S,
    secret: v.REFRESH_TOKEN_SECRET,
    /** Refreshes per client address; the token itself is the credential, so no per-account quota. */
    throttle: { perAccount: 0, perClient: v.REFRESH_MAX_PER_CLIENT, windowSeconds: v.REFRESH_THROTTLE_WINDOW_S },
  },
  throttle: {
    perAccount: v.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    perClient: v.LOGIN_MAX_FAILURES_PER_CLIENT,
    windowSeconds: v.LOGIN_THROTTLE_WINDOW_S,
    redisUrl: v.REDIS_URL,
  },
  admin: v.ADMIN_EMAIL && v.ADMIN_PASSWORD ? { email: v.ADMIN_EMAIL, password: v.ADMIN_PASSWORD } : undefined,
});
