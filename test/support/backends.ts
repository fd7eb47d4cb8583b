import { BEHIND_PGBOUNCER, createTestDatabase, postgresEnv, requirePgBouncer, requirePostgres } from './postgres.js';
import { startPortico, type Portico } from './portico.js';

export interface Backend {
  name: string;
  /** Environment for startPortico, and a cleanup for whatever the backend created. */
  prepare(ctx: Mocha.Context): Promise<{ env: Record<string, string>; dispose(): Promise<void> }>;
}

/** The in-process stores: nothing to prepare. */
export const MEMORY_BACKEND: Backend = {
  name: 'memory',
  prepare: async () => ({ env: { DB_DRIVER: 'memory' }, dispose: async () => {} }),
};

/** The SQL backends the whole-app suites run on: SQLite in the app's own data dir, and PostgreSQL. */
export const SQL_BACKENDS: Backend[] = [
  { name: 'SQLite', prepare: async () => ({ env: { DB_DRIVER: 'sqlite' }, dispose: async () => {} }) },
  {
    name: 'PostgreSQL',
    prepare: async (ctx) => {
      await requirePostgres(ctx);
      const database = await createTestDatabase();
      return { env: postgresEnv(database), dispose: database.drop };
    },
  },
];

/** PostgreSQL through PgBouncer in transaction mode (npm run services), with the settings it needs. */
export const PGBOUNCER_BACKEND: Backend = {
  name: 'PostgreSQL via PgBouncer',
  prepare: async (ctx) => {
    await requirePostgres(ctx);
    const at = await requirePgBouncer(ctx);
    const database = await createTestDatabase();
    return { env: { ...postgresEnv(database, at), ...BEHIND_PGBOUNCER }, dispose: database.drop };
  },
};

/**
 * For a describe block: the whole app on `backend` with `env` on top, started before the block (before
 * each test with `each`) and stopped after it, with whatever the backend created. The object returned
 * is that app once the hook has run, valid in the block's tests and later hooks.
 */
export function usePortico(
  backend: Backend,
  env: Record<string, string> = {},
  options: { each?: boolean } = {},
): Portico {
  const app = {} as Portico;
  let dispose = async () => {};
  (options.each ? beforeEach : before)(async function () {
    const prepared = await backend.prepare(this);
    dispose = prepared.dispose;
    Object.assign(app, await startPortico({ ...prepared.env, ...env }));
  });
  (options.each ? afterEach : after)(async () => {
    await app.stop?.();
    await dispose();
  });
  return app;
}
