import { postgresEnv, type TestDatabase } from './postgres.js';
import { startPortico, type Portico } from './portico.js';

/** The whole app on a PostgreSQL test database, reached directly or through `at` (a proxy in front of it). */
export const startPorticoOn = (
  database: TestDatabase,
  env: Record<string, string> = {},
  at?: { host: string; port: number },
): Promise<Portico> => startPortico({ ...postgresEnv(database, at), ...env });
