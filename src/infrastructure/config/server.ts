import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { bool, int, list, type Rule } from './helpers.js';

export const serverFields = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  TRUST_PROXY: bool.default(false),
  REQUIRE_IF_MATCH: bool.default(false),
  IDEMPOTENCY_TTL_S: int(60, 30 * 86_400).default(86_400),
  IDEMPOTENCY_LEASE_S: int(1, 86_400).default(300),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  CORS_ORIGINS: list.default([]),
  BODY_LIMIT_BYTES: int(1024, 16 * 1024 * 1024).default(1024 * 1024),
  SHUTDOWN_GRACE_MS: int(0, 600_000).default(10_000),
  REQUEST_TIMEOUT_MS: int(0, 3_600_000).default(30_000),
  BODY_IDLE_TIMEOUT_MS: int(0, 3_600_000).default(30_000),
  HEADERS_TIMEOUT_MS: int(1_000, 600_000).default(20_000),
  CLUSTER_WORKERS: z.union([z.literal('auto'), int(1, 256)]).default(1),
  METRICS_ENABLED: bool.optional(),
  METRICS_TOKEN: z.string().min(16).optional(),
};
export type ServerValues = z.output<z.ZodObject<typeof serverFields>>;

export const serverRules: Rule<ServerValues>[] = [
  {
    name: 'CORS_ORIGINS',
    reads: ['CORS_ORIGINS'],
    message: 'list exact origins; "*" is not allowed',
    broken: (v) => v.CORS_ORIGINS.includes('*'),
  },
];

/** The process: where it listens, how it logs, its workers, metrics and CORS. */
export const server = (v: ServerValues) => ({
  env: v.NODE_ENV,
  http: {
    host: v.HOST,
    port: v.PORT,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    shutdownGraceMs: v.SHUTDOWN_GRACE_MS,
    trustProxy: v.TRUST_PROXY,
    requestTimeoutMs: v.REQUEST_TIMEOUT_MS,
    /** A body (or a response the client stopped reading) without a byte moving this long is cut off; 0: never. */
    bodyIdleTimeoutMs: v.BODY_IDLE_TIMEOUT_MS,
    /** A connection must have sent a request's whole head within this (idle connections included). */
    headersTimeoutMs: v.HEADERS_TIMEOUT_MS,
    /** Writes to a user or a file must name the version they change (If-Match), else 428. */
    requireIfMatch: v.REQUIRE_IF_MATCH,
    /**
     * Idempotency-Key on creating POSTs: an answer is kept (and replayed) this long; a request
     * still running after `leaseS` is taken to have died with its process, and a retry may take over.
     */
    idempotency: { ttlS: v.IDEMPOTENCY_TTL_S, leaseS: v.IDEMPOTENCY_LEASE_S },
  },
  logLevel: v.LOG_LEVEL,
  dataDir: path.resolve(v.DATA_DIR),
  cors: { origins: v.CORS_ORIGINS },
  /** Worker processes on one port; 1 runs no cluster at all. */
  cluster: { workers: v.CLUSTER_WORKERS === 'auto' ? os.availableParallelism() : v.CLUSTER_WORKERS },
  /**
   * GET /metrics; with a token, only for `Authorization: Bearer <token>`. Off in production unless a
   * token protects it or the operator turns it on (a private port or network).
   */
  metrics: {
    enabled: v.METRICS_ENABLED ?? (v.NODE_ENV !== 'production' || v.METRICS_TOKEN !== undefined),
    token: v.METRICS_TOKEN,
  },
});
