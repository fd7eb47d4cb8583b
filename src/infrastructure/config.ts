import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { parseFilesConfig, type FilesConfig } from './files-config.js';

export { ConfigError };

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/** Where secrets come from; parsed on its own first, because with SSM the rest of the settings are not known yet. */
const secretSettings = {
  SECRETS_SOURCE: z.enum(['env', 'ssm']).default('env'),
  STAGE: z.enum(['dev', 'qa', 'prod']).default('dev'),
  SSM_PREFIX: z.string().regex(/^\/([A-Za-z0-9_.-]+\/)*$/, 'must start and end with "/"').optional(),
  SECRETS_TTL_S: int(10, 86_400).default(300),
  AWS_REGION: z.string().min(1).optional(),
};

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: int(0, 65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    TRUST_PROXY: bool.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().min(1).default('./data'),
    DB_DRIVER: z.enum(['sqlite', 'postgres', 'mongo', 'memory']).default('sqlite'),
    DB_HOST: z.string().min(1).default('127.0.0.1'),
    DB_PORT: int(1, 65535).default(5432),
    DB_USER: z.string().min(1).default('postgres'),
    DB_PASSWORD: z.string().default(''),
    DB_NAME: z.string().min(1).default('portico'),
    DB_POOL_MIN: int(0, 1000).default(0),
    DB_POOL_MAX: int(1, 1000).default(10),
    DB_POOL_IDLE_MS: int(100, 3_600_000).default(30_000),
    DB_POOL_ACQUIRE_TIMEOUT_MS: int(50, 600_000).default(5_000),
    DB_MIGRATE_ON_START: bool.optional(),
    MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\/[^/?]+/, 'must be a mongodb:// or mongodb+srv:// URL').optional(),
    DB_QUERY_TIMEOUT_MS: int(0, 3_600_000).default(15_000),
    DB_CONNECT_TIMEOUT_MS: int(100, 600_000).default(5_000),
    CORS_ORIGINS: list.default([]),
    JWT_PRIVATE_KEY: z.string().optional(),
    JWT_ISSUER: z.string().min(1).default('portico'),
    JWT_AUDIENCE: z.string().min(1).default('portico-api'),
    JWT_ACCESS_TTL_S: int(30, 86_400).default(900),
    BCRYPT_COST: int(4, 15).default(12),
    BCRYPT_CONCURRENCY: int(1, 1024).optional(),
    UV_THREADPOOL_SIZE: int(1, 1024).default(4),
    ADMIN_EMAIL: z.string().email().optional(),
    ADMIN_PASSWORD: z.string().min(8).max(128).optional(),
    BODY_LIMIT_BYTES: int(1024, 16 * 1024 * 1024).default(1024 * 1024),
    SHUTDOWN_GRACE_MS: int(0, 600_000).default(10_000),
    REQUEST_TIMEOUT_MS: int(0, 3_600_000).default(30_000),
    BODY_IDLE_TIMEOUT_MS: int(0, 3_600_000).default(30_000),
    HEADERS_TIMEOUT_MS: int(1_000, 600_000).default(20_000),
    CLUSTER_WORKERS: z.union([z.literal('auto'), int(1, 256)]).default(1),
    METRICS_ENABLED: bool.optional(),
    METRICS_TOKEN: z.string().min(16).optional(),
    REFRESH_TOKEN_TTL_S: int(60, 31_536_000).default(2_592_000),
    REFRESH_REUSE_GRACE_S: int(0, 300).default(10),
    REFRESH_TOKEN_SECRET: z.string().min(32).optional(),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1, 1000).default(5),
    LOGIN_MAX_FAILURES_PER_CLIENT: int(1, 100_000).default(20),
    LOGIN_THROTTLE_WINDOW_S: int(1, 86_400).default(900),
    REDIS_URL: z.string().url().optional(),
    STRIPE_KEY: z.string().min(1).optional(),
    ...secretSettings,
  })
  .superRefine((v, ctx) => {
    if (v.DB_POOL_MIN > v.DB_POOL_MAX) {
      ctx.addIssue({ code: 'custom', path: ['DB_POOL_MIN'], message: 'must not exceed DB_POOL_MAX' });
    }
    if (v.DB_DRIVER === 'mongo' && !v.MONGO_URL) {
      ctx.addIssue({ code: 'custom', path: ['MONGO_URL'], message: 'required when DB_DRIVER=mongo' });
    }
    if (Boolean(v.ADMIN_EMAIL) !== Boolean(v.ADMIN_PASSWORD)) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together' });
    }
    if (v.NODE_ENV === 'production' && !v.JWT_PRIVATE_KEY) {
      ctx.addIssue({ code: 'custom', path: ['JWT_PRIVATE_KEY'], message: 'required in production' });
    }
    if (v.CORS_ORIGINS.includes('*')) {
      ctx.addIssue({ code: 'custom', path: ['CORS_ORIGINS'], message: 'list exact origins; "*" is not allowed' });
    }
  });

export type DbDriver = 'sqlite' | 'postgres' | 'mongo' | 'memory';

export interface SecretSettings {
  source: 'env' | 'ssm';
  stage: 'dev' | 'qa' | 'prod';
  /** The stage's SSM tree, e.g. `/qa/`; parameter names are read relative to it. */
  prefix: string;
  ttlSeconds: number;
  region?: string;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  http: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    shutdownGraceMs: number;
    trustProxy: boolean;
    requestTimeoutMs: number;
    /** A body (or a response the client stopped reading) without a byte moving this long is cut off; 0: never. */
    bodyIdleTimeoutMs: number;
    /** A connection must have sent a request's whole head within this (idle connections included). */
    headersTimeoutMs: number;
  };
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  dataDir: string;
  db: {
    driver: DbDriver;
    host: string;
    port: number;
    user: string;
    password: string;
    name: string;
    sqlitePath: string;
    /** DB_DRIVER=mongo: the server, and the database in its path (else DB_NAME). */
    mongoUrl?: string;
    migrateOnStart: boolean;
    pool: { min: number; max: number; idleMs: number; acquireTimeoutMs: number };
    /** Server-side statement_timeout, with a client-side read timeout just above it; 0 turns both off. */
    queryTimeoutMs: number;
    connectTimeoutMs: number;
  };
  cors: { origins: string[] };
  jwt: { privateKey?: string; issuer: string; audience: string; accessTtlSeconds: number };
  bcryptCost: number;
  /** bcrypt jobs in flight at once; the rest wait their turn, so the libuv pool keeps a thread for other work. */
  bcryptConcurrency: number;
  /** Worker processes on one port; 1 runs no cluster at all. */
  cluster: { workers: number };
  /** GET /metrics; with a token, only for `Authorization: Bearer <token>`. */
  metrics: { enabled: boolean; token?: string };
  sessions: { refreshTtlSeconds: number; reuseGraceSeconds: number; secret?: string };
  throttle: { perAccount: number; perClient: number; windowSeconds: number; redisUrl?: string };
  admin?: { email: string; password: string };
  secrets: SecretSettings;
  stripe: { key?: string };
  /** FILE_STORE, S3_*, MAX_UPLOAD_BYTES, MULTIPART_*, PRESIGN_MAX_SECONDS ... (see files-config.ts). */
  files: FilesConfig;
}

/** The one place that reads process.env. */
export function readEnv(): Record<string, string | undefined> {
  return { ...process.env };
}

const secretSettingsOf = (v: z.infer<z.ZodObject<typeof secretSettings>>): SecretSettings => ({
  source: v.SECRETS_SOURCE,
  stage: v.STAGE,
  prefix: v.SSM_PREFIX ?? `/${v.STAGE}/`,
  ttlSeconds: v.SECRETS_TTL_S,
  region: v.AWS_REGION,
});

const presentOnly = (source: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));

/** Only the settings that say where secrets live (SECRETS_SOURCE, STAGE, SSM_PREFIX, SECRETS_TTL_S, AWS_REGION). */
export function parseSecretSettings(source: Record<string, string | undefined>): SecretSettings {
  const parsed = z.object(secretSettings).safeParse(presentOnly(source));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return secretSettingsOf(parsed.data);
}

/** The file-storage settings (files-config.ts), or their problems, to be listed with all the others. */
function filesSettings(source: Record<string, string | undefined>): { files?: FilesConfig; problems: string[] } {
  try {
    return { files: parseFilesConfig(source), problems: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { problems: error.problems };
    throw error;
  }
}

export function parseConfig(source: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(presentOnly(source));
  const { files, problems } = filesSettings(source);
  if (!parsed.success || !files) {
    const own = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError([...own, ...problems]);
  }
  const v = parsed.data;
  const dataDir = path.resolve(v.DATA_DIR);
  return Object.freeze({
    env: v.NODE_ENV,
    http: {
      host: v.HOST,
      port: v.PORT,
      bodyLimitBytes: v.BODY_LIMIT_BYTES,
      shutdownGraceMs: v.SHUTDOWN_GRACE_MS,
      trustProxy: v.TRUST_PROXY,
      requestTimeoutMs: v.REQUEST_TIMEOUT_MS,
      bodyIdleTimeoutMs: v.BODY_IDLE_TIMEOUT_MS,
      headersTimeoutMs: v.HEADERS_TIMEOUT_MS,
    },
    logLevel: v.LOG_LEVEL,
    dataDir,
    db: {
      driver: v.DB_DRIVER,
      host: v.DB_HOST,
      port: v.DB_PORT,
      user: v.DB_USER,
      password: v.DB_PASSWORD,
      name: v.DB_NAME,
      sqlitePath: path.join(dataDir, 'portico.sqlite'),
      mongoUrl: v.MONGO_URL,
      migrateOnStart: v.DB_MIGRATE_ON_START ?? v.DB_DRIVER === 'sqlite',
      pool: { min: v.DB_POOL_MIN, max: v.DB_POOL_MAX, idleMs: v.DB_POOL_IDLE_MS, acquireTimeoutMs: v.DB_POOL_ACQUIRE_TIMEOUT_MS },
      queryTimeoutMs: v.DB_QUERY_TIMEOUT_MS,
      connectTimeoutMs: v.DB_CONNECT_TIMEOUT_MS,
    },
    cors: { origins: v.CORS_ORIGINS },
    jwt: { privateKey: v.JWT_PRIVATE_KEY, issuer: v.JWT_ISSUER, audience: v.JWT_AUDIENCE, accessTtlSeconds: v.JWT_ACCESS_TTL_S },
    bcryptCost: v.BCRYPT_COST,
    bcryptConcurrency: v.BCRYPT_CONCURRENCY ?? Math.max(1, v.UV_THREADPOOL_SIZE - 1),
    cluster: { workers: v.CLUSTER_WORKERS === 'auto' ? os.availableParallelism() : v.CLUSTER_WORKERS },
    // Off in production unless a token protects it or the operator turns it on (a private port or network).
    metrics: { enabled: v.METRICS_ENABLED ?? (v.NODE_ENV !== 'production' || v.METRICS_TOKEN !== undefined), token: v.METRICS_TOKEN },
    sessions: { refreshTtlSeconds: v.REFRESH_TOKEN_TTL_S, reuseGraceSeconds: v.REFRESH_REUSE_GRACE_S, secret: v.REFRESH_TOKEN_SECRET },
    throttle: {
      perAccount: v.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      perClient: v.LOGIN_MAX_FAILURES_PER_CLIENT,
      windowSeconds: v.LOGIN_THROTTLE_WINDOW_S,
      redisUrl: v.REDIS_URL,
    },
    admin: v.ADMIN_EMAIL && v.ADMIN_PASSWORD ? { email: v.ADMIN_EMAIL, password: v.ADMIN_PASSWORD } : undefined,
    secrets: secretSettingsOf(v),
    stripe: { key: v.STRIPE_KEY },
    files,
  });
}
