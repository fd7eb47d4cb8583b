import { fileURLToPath } from 'node:url';
import type { EventSubscriber, Options, TransactionEventArgs } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import { AccountTokenSchema } from './account-token-schema.js';
import { driverLogging, type DriverLog, type OrmOptions } from './driver-log.js';
import { FileSchema } from './file-schema.js';
import { IdempotencyKeySchema } from './idempotency-key-schema.js';
import { IdentitySchema } from './identity-schema.js';
import { MailOutboxSchema } from './mail-outbox-schema.js';
import { PasskeyChallengeSchema, PasskeySchema } from './passkey-schema.js';
import { RefreshTokenSchema } from './refresh-token-schema.js';
import { UserSchema } from './user-schema.js';

/** What this adapter needs to know about the database; the app's `Config['db']` satisfies it. */
export interface DbSettings {
  /** 'memory' and 'mongo' are accepted so `Config['db']` passes as is, and refused: not SQL. */
  driver: 'sqlite' | 'postgres' | 'mongo' | 'memory';
  host: string;
  port: number;
  user: string;
  password: string;
  name: string;
  sqlitePath: string;
  pool: { min: number; max: number; idleMs: number; acquireTimeoutMs: number };
  /** PostgreSQL: statement_timeout, and a client-side read timeout just above it; 0 or absent: none. */
  queryTimeoutMs?: number;
  /** PostgreSQL: how long a new connection may take to be ready; 5000 ms when absent. */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL: what stands between the app and the server. 'none' (the default): each pooled
   * connection is a session of the app's own, so settings travel as startup parameters.
   * 'transaction': a transaction pooler (PgBouncer pool_mode=transaction, RDS Proxy) lends a server
   * session per transaction; the app then sets nothing on the session (see pgTimeouts).
   */
  pooler?: 'none' | 'transaction';
  /** PostgreSQL: the hot lookups as named prepared statements (user-rows.ts); true when absent. */
  preparedStatements?: boolean;
}
export type SqlDialect = 'sqlite' | 'postgres';
export type { OrmOptions };

// Under tsx (npm start, the CLIs, mocha) this module is itself a .ts file and the migrations are
// .ts beside it; a compiled build finds compiled .js migrations in the same relative place.
const runningTs = import.meta.url.endsWith('.ts');
const migrationsDir = (dialect: SqlDialect) => fileURLToPath(new URL(`./migrations/${dialect}`, import.meta.url));

const common = (dialect: SqlDialect, debug: boolean, log: DriverLog | undefined) => ({
  ...driverLogging(log).mikro,
  entities: [
    UserSchema,
    RefreshTokenSchema,
    FileSchema,
    MailOutboxSchema,
    AccountTokenSchema,
    IdempotencyKeySchema,
    IdentitySchema,
    PasskeySchema,
    PasskeyChallengeSchema,
  ],
  preferTs: runningTs,
  debug,
  // Booting never creates a database; the migrator does, on `up`, when the configured one is missing.
  ensureDatabase: false,
  migrations: {
    path: migrationsDir(dialect),
    pathTs: migrationsDir(dialect),
    glob: '!(*.d).{js,ts}',
    emit: 'ts' as const,
    snapshotName: `.snapshot-${dialect}`,
    transactional: true,
    allOrNothing: true,
    // The migrator would print through console; the CLI reports what ran instead.
    silent: true,
  },
});

/**
 * MikroORM options for one SQL dialect, with migrations kept per dialect. Only the configured
 * dialect's driver is loaded: each one costs the process tens of MiB that the others need not pay.
 */
export async function mikroOrmOptions(db: DbSettings, opts: OrmOptions = {}): Promise<Options> {
  const debug = opts.debug ?? false;
  const { knex } = driverLogging(opts.log);
  if (db.driver === 'memory') throw new Error('DB_DRIVER=memory has no database to open');
  if (db.driver === 'mongo') throw new Error('DB_DRIVER=mongo is opened by the mongo adapter (openMongo)');
  if (db.driver === 'sqlite') {
    const { defineConfig: defineSqliteConfig } = await import('@mikro-orm/better-sqlite');
    return defineSqliteConfig({
      ...common('sqlite', debug, opts.log),
      // The driver creates the file's directory on connect. One connection (knex's SQLite default).
      dbName: db.sqlitePath,
      pool: { acquireTimeoutMillis: db.pool.acquireTimeoutMs, afterCreate: sqlitePragmas },
      driverOptions: knex,
    });
  }
  const { defineConfig: definePostgresConfig } = await import('@mikro-orm/postgresql');
  return definePostgresConfig({
    ...common('postgres', debug, opts.log),
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    dbName: db.name,
    // knex takes the smaller of pool.acquireTimeoutMillis and acquireConnectionTimeout (default
    // 60 s), so a request waits at most acquireTimeoutMs for a connection before DB.UNAVAILABLE.
    pool: {
      min: db.pool.min,
      max: db.pool.max,
      idleTimeoutMillis: db.pool.idleMs,
      acquireTimeoutMillis: db.pool.acquireTimeoutMs,
    },
    driverOptions: {
      ...knex,
      acquireConnectionTimeout: db.pool.acquireTimeoutMs,
      connection: pgTimeouts(db),
      pool: { validate: answeredLastQuery },
    },
    subscribers: transactionTimeouts(db),
  });
}

/** The server's own timeout answers first, with a clean error; the client's catches a server that cannot answer at all. */
const CLIENT_MARGIN_MS = 1_000;

/**
 * A lost server resets its sockets, but a partitioned one just goes quiet. statement_timeout ends
 * slow work, query_timeout gives up on a server that no longer answers, connectionTimeoutMillis on
 * one that accepts but never greets, and TCP keepalive finds idle pooled connections whose peer is gone.
 *
 * statement_timeout is a startup parameter only when the session is the app's own: a transaction
 * pooler refuses it (PgBouncer: "unsupported startup parameter"), and a session-level SET would stay
 * on a server session that other clients are lent next. Behind one, the app's transactions set it
 * with SET LOCAL (transactionTimeouts) and single statements take the pool's or role's default.
 */
function pgTimeouts(db: DbSettings) {
  const query = db.queryTimeoutMs ?? 0;
  const ownSession = (db.pooler ?? 'none') === 'none';
  return {
    connectionTimeoutMillis: db.connectTimeoutMs ?? 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(query > 0 ? { query_timeout: query + CLIENT_MARGIN_MS } : {}),
    ...(query > 0 && ownSession ? { statement_timeout: query } : {}),
  };
}

/** Behind a transaction pooler: statement_timeout for each transaction the app opens, gone at its end. */
function transactionTimeouts(db: DbSettings): EventSubscriber[] {
  const query = Math.trunc(db.queryTimeoutMs ?? 0);
  if (query <= 0 || (db.pooler ?? 'none') === 'none') return [];
  return [
    {
      afterTransactionStart: async ({ transaction }: TransactionEventArgs) => {
        await (transaction as Knex.Transaction).raw(`set local statement_timeout = ${query}`);
      },
    },
  ];
}

// A pg client whose query was given up on (query_timeout) still waits for that answer: lent out
// again, it would queue the next query behind it. The pool drops it instead and opens a new one.
const answeredLastQuery = (connection: { readyForQuery?: boolean }) => connection.readyForQuery === true;

interface SqliteHandle {
  pragma(sql: string): unknown;
}
// Per connection, so a connection the pool replaces keeps them: MikroORM enables foreign keys only
// once at connect. WAL lets a CLI and the server share the file without readers blocking the writer.
function sqlitePragmas(connection: SqliteHandle, done: (error: Error | null, connection: SqliteHandle) => void): void {
  try {
    connection.pragma('foreign_keys = ON');
    connection.pragma('journal_mode = WAL');
    done(null, connection);
  } catch (error) {
    done(error as Error, connection);
  }
}
