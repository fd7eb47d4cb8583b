import path from 'node:path';
import { z } from 'zod';
import { bool, int, type Rule } from './helpers.js';
import type { ServerValues } from './server.js';

export const databaseFields = {
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
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/[^/?]+/, 'must be a mongodb:// or mongodb+srv:// URL')
    .optional(),
  DB_QUERY_TIMEOUT_MS: int(0, 3_600_000).default(15_000),
  DB_CONNECT_TIMEOUT_MS: int(100, 600_000).default(5_000),
  DB_POOLER: z.enum(['none', 'transaction']).default('none'),
  DB_PREPARED_STATEMENTS: bool.default(true),
};
type DatabaseValues = z.output<z.ZodObject<typeof databaseFields>>;

export const databaseRules: Rule<DatabaseValues>[] = [
  {
    name: 'DB_POOL_MIN',
    reads: ['DB_POOL_MIN', 'DB_POOL_MAX'],
    message: 'must not exceed DB_POOL_MAX',
    broken: (v) => v.DB_POOL_MIN > v.DB_POOL_MAX,
  },
  {
    name: 'MONGO_URL',
    reads: ['DB_DRIVER', 'MONGO_URL'],
    message: 'required when DB_DRIVER=mongo',
    broken: (v) => v.DB_DRIVER === 'mongo' && !v.MONGO_URL,
  },
];

/**
 * `config.db`, handed as is to the SQL adapter (its `DbSettings`, orm-options.ts) and to the Mongo
 * one (its `MongoSettings`, mongo-orm-options.ts); they declare what they read.
 */
export const database = (v: DatabaseValues & Pick<ServerValues, 'DATA_DIR'>) => ({
  driver: v.DB_DRIVER,
  host: v.DB_HOST,
  port: v.DB_PORT,
  user: v.DB_USER,
  password: v.DB_PASSWORD,
  name: v.DB_NAME,
  sqlitePath: path.join(path.resolve(v.DATA_DIR), 'portico.sqlite'),
  /** DB_DRIVER=mongo: the server, and the database in its path (else DB_NAME). */
  mongoUrl: v.MONGO_URL,
  migrateOnStart: v.DB_MIGRATE_ON_START ?? v.DB_DRIVER === 'sqlite',
  pool: {
    min: v.DB_POOL_MIN,
    max: v.DB_POOL_MAX,
    idleMs: v.DB_POOL_IDLE_MS,
    acquireTimeoutMs: v.DB_POOL_ACQUIRE_TIMEOUT_MS,
  },
  /** Server-side statement_timeout, with a client-side read timeout just above it; 0 turns both off. */
  queryTimeoutMs: v.DB_QUERY_TIMEOUT_MS,
  connectTimeoutMs: v.DB_CONNECT_TIMEOUT_MS,
  /** 'transaction': behind PgBouncer in transaction mode or RDS Proxy; the app sets nothing on the session. */
  pooler: v.DB_POOLER,
  /** false for a pooler that cannot keep named prepared statements (PgBouncer before 1.21). */
  preparedStatements: v.DB_PREPARED_STATEMENTS,
});
