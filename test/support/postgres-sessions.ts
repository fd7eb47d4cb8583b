import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { TestDatabase } from './postgres.js';
import { until } from './until.js';

/**
 * A session of its own on the test database's server, bypassing any proxy the app goes through: to
 * look, to lock, to count. `name` picks another database on that server (`test`, `postgres`) for a
 * session that must outlive the test database refusing connections.
 */
export async function directClient(database: TestDatabase, name = database.name): Promise<pg.Client> {
  const { host, port, user, password } = database.db;
  const client = new pg.Client({ host, port, user, password, database: name });
  await client.connect();
  return client;
}

/** How many sessions the test database has, other than `observer`'s own. */
export async function sessionsOn(observer: pg.Client, database: TestDatabase): Promise<number> {
  const sql = 'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()';
  return (await observer.query(sql, [database.name])).rows[0].n;
}

/**
 * Samples sessionsOn every few milliseconds until the returned function is called; that resolves with
 * the most seen at once.
 */
export function watchPeakSessions(observer: pg.Client, database: TestDatabase): () => Promise<number> {
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await sessionsOn(observer, database));
      await sleep(2);
    }
  })();
  return async () => {
    sampling = false;
    await sampler;
    return peak;
  };
}

/** True once some query of `database` waits on a lock (so a request is stuck where the test wants it). */
export async function someoneWaitsOnALock(observer: pg.Client, database: TestDatabase): Promise<boolean> {
  const sql = "select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'";
  return (await observer.query(sql, [database.name])).rows[0].n > 0;
}

/** Opens a transaction on `client` that holds `table` exclusively (reads too) until it ends. */
export async function holdLock(client: pg.Client, table = 'users'): Promise<void> {
  await client.query('begin');
  await client.query(`lock table ${table} in access exclusive mode`);
}

/**
 * Starts `request` while another session holds `users` locked, waits until `observer` sees it waiting
 * on that lock, does `meanwhile` (cut the connection, kill the session...), and answers what the
 * request answered; the lock goes after that.
 */
export async function stuckOnALock<T>(
  database: TestDatabase,
  observer: pg.Client,
  request: () => Promise<T>,
  meanwhile: () => Promise<unknown>,
): Promise<T> {
  const locker = await directClient(database);
  try {
    await holdLock(locker);
    const inFlight = request();
    await until(() => someoneWaitsOnALock(observer, database));
    await meanwhile();
    return await inFlight;
  } finally {
    await locker.end();
  }
}

/** Ends the test database's sessions other than `admin`'s (those matching `where`, if given); how many. */
export async function terminateSessions(
  admin: pg.Client,
  database: TestDatabase,
  where = 'true',
  params: unknown[] = [],
): Promise<number> {
  const sql = `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and (${where})`;
  return (await admin.query(sql, [database.name, ...params])).rowCount ?? 0;
}
