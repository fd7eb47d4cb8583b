import pg from 'pg';
import type { TestDatabase } from '../../support/postgres.js';
import { newAccount, send } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';

/** Polls until `check` holds; the test's own timeout is the only deadline. */
export async function until(check: () => boolean | Promise<boolean>, everyMs = 10): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, everyMs));
}

/** The app on a PostgreSQL test database, reached at `port` (the server's own, or a proxy in front of it). */
export function appOn(database: TestDatabase, env: Record<string, string> = {}, port = database.db.port): Promise<Portico> {
  const { db } = database;
  return startPortico({
    DB_DRIVER: 'postgres', DB_HOST: '127.0.0.1', DB_PORT: String(port), DB_USER: db.user, DB_NAME: db.name, DB_MIGRATE_ON_START: 'true', ...env,
  });
}

/** A client of the test database that bypasses any proxy: to look, to lock, to count. */
export async function directClient(database: TestDatabase): Promise<pg.Client> {
  const client = new pg.Client({ host: database.db.host, port: database.db.port, user: database.db.user, database: database.db.name });
  await client.connect();
  return client;
}

export async function signedIn(app: Portico) {
  const account = newAccount();
  const registered = await send(app, 'POST', '/v1/auth/register', { json: account });
  const token = (await send(app, 'POST', '/v1/auth/login', { json: { email: account.email, password: account.password } })).body.accessToken as string;
  return { id: registered.body.user.id as string, token, email: account.email };
}

/** True once some query of `database` waits on a lock (so a request is stuck where the test wants it). */
export async function someoneWaitsOnALock(observer: pg.Client, database: TestDatabase): Promise<boolean> {
  const { rows } = await observer.query("select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'", [database.name]);
  return rows[0].n > 0;
}
