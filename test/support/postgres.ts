import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parseConfig, type Config } from '../../src/infrastructure/config.js';
import { serviceSetting } from './services.js';

// The server the suites use; the env names are libpq's, so a CI job can point elsewhere.
const server = {
  host: serviceSetting('PGHOST') ?? '127.0.0.1',
  port: Number(serviceSetting('PGPORT') ?? 5432),
  user: serviceSetting('PGUSER') ?? 'postgres',
  password: serviceSetting('PGPASSWORD') ?? '',
};

const admin = () => new pg.Client({ ...server, database: 'test', connectionTimeoutMillis: 2_000 });

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = admin();
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * PostgreSQL-backed suites call this in `before`. Under CI an unreachable server fails the suite;
 * elsewhere the suite is skipped with the reason printed.
 */
export async function requirePostgres(ctx: Mocha.Context): Promise<void> {
  try {
    await withAdmin((client) => client.query('select 1'));
  } catch (error) {
    const where = `${server.host}:${server.port}`;
    if (process.env.CI) {
      throw new Error(`PostgreSQL is required under CI but ${where} is unreachable: ${(error as Error).message}`, {
        cause: error,
      });
    }
    console.log(`      (skipped: no PostgreSQL at ${where}: ${(error as Error).message}; run npm run services)`);
    ctx.skip();
  }
}

export interface TestDatabase {
  name: string;
  /** `Config['db']` for the app, pointing at this database. */
  db: Config['db'];
  drop(): Promise<void>;
}

/** A fresh, empty database of its own, so suites never see each other's rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `portico_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`create database "${name}"`));
  const config = parseConfig({
    DB_DRIVER: 'postgres',
    DB_HOST: server.host,
    DB_PORT: String(server.port),
    DB_USER: server.user,
    DB_PASSWORD: server.password,
    DB_NAME: name,
    DB_POOL_MAX: '10',
    DB_POOL_ACQUIRE_TIMEOUT_MS: '5000',
  });
  // WITH (FORCE) ends any connection a failed test left open (PostgreSQL 13+).
  const drop = () =>
    withAdmin((client) => client.query(`drop database if exists "${name}" with (force)`)).then(() => undefined);
  return { name, db: config.db, drop };
}

// PgBouncer from npm run services: pool_mode = transaction in front of `server`, any database.
const pgbouncer = () => ({
  host: serviceSetting('PGBOUNCER_HOST') ?? '127.0.0.1',
  port: Number(serviceSetting('PGBOUNCER_PORT') ?? 6432),
});

/** The app's settings behind a transaction pooler that keeps no prepared statements (PgBouncer 1.18). */
export const BEHIND_PGBOUNCER = { DB_POOLER: 'transaction', DB_PREPARED_STATEMENTS: 'false' } as const;

/**
 * Suites that go through PgBouncer call this in `before` (after requirePostgres). Under CI an
 * unreachable PgBouncer fails the suite; elsewhere the suite is skipped with the reason printed.
 */
export async function requirePgBouncer(ctx: Mocha.Context): Promise<{ host: string; port: number }> {
  const at = pgbouncer();
  const client = new pg.Client({ ...server, ...at, database: 'test', connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    const why = `no PgBouncer at ${at.host}:${at.port}: ${(error as Error).message}`;
    if (process.env.CI) throw new Error(`PgBouncer is required under CI but there is ${why}`, { cause: error });
    console.log(`      (skipped: ${why}; run npm run services)`);
    ctx.skip();
  } finally {
    await client.end().catch(() => {});
  }
  return at;
}

/** `database` reached through PgBouncer, with the settings the app needs there (BEHIND_PGBOUNCER). */
export function viaPgBouncer(database: TestDatabase, at: { host: string; port: number }): TestDatabase {
  return { ...database, db: { ...database.db, ...at, pooler: 'transaction', preparedStatements: false } };
}

/**
 * The settings that point the app (startPortico, or `npm start` in a child) at a test database, migrated
 * at boot. `at` is where to reach it when not directly: a proxy in front of the server.
 */
export function postgresEnv(
  database: TestDatabase,
  at: { host: string; port: number } = database.db,
): Record<string, string> {
  const { user, password } = database.db;
  return {
    DB_DRIVER: 'postgres',
    DB_HOST: at.host,
    DB_PORT: String(at.port),
    DB_USER: user,
    DB_PASSWORD: password,
    DB_NAME: database.name,
    DB_MIGRATE_ON_START: 'true',
  };
}
