import type pg from 'pg';
import { createTestDatabase, requirePostgres, type TestDatabase } from './postgres.js';
import { directClient } from './postgres-sessions.js';
import type { Portico } from './portico.js';
import { startPorticoOn } from './start-portico-on.js';

export interface DatabaseUnderTest {
  database: TestDatabase;
  /** A session of its own on the database, to look and count (see postgres-sessions.ts). */
  observer: pg.Client;
  /** The whole app on the database, when `useTestDatabase` was given its settings. */
  app: Portico;
}

/**
 * For a describe block on PostgreSQL (skipped, or failing under CI, without a server): a test database
 * of its own with an observer session, and the whole app on it when `appEnv` is given; made before the
 * block, gone after it. The object returned is filled in once the hook has run.
 */
export function useTestDatabase(appEnv?: Record<string, string>): DatabaseUnderTest {
  const under = {} as DatabaseUnderTest;
  before(async function () {
    await requirePostgres(this);
    under.database = await createTestDatabase();
    under.observer = await directClient(under.database);
    if (appEnv) under.app = await startPorticoOn(under.database, appEnv);
  });
  after(async () => {
    await under.app?.stop();
    await under.observer?.end();
    await under.database?.drop();
  });
  return under;
}
