import { createTestDatabase, requirePostgres } from './postgres.js';

export interface Backend {
  name: string;
  /** Environment for startPortico, and a cleanup for whatever the backend created. */
  prepare(ctx: Mocha.Context): Promise<{ env: Record<string, string>; dispose(): Promise<void> }>;
}

/** The SQL backends the whole-app suites run on: SQLite in the app's own data dir, and PostgreSQL. */
export const SQL_BACKENDS: Backend[] = [
  { name: 'SQLite', prepare: async () => ({ env: { DB_DRIVER: 'sqlite' }, dispose: async () => {} }) },
  {
    name: 'PostgreSQL',
    prepare: async (ctx) => {
      await requirePostgres(ctx);
      const database = await createTestDatabase();
      const { db } = database;
      return {
        env: { DB_DRIVER: 'postgres', DB_HOST: db.host, DB_PORT: String(db.port), DB_USER: db.user, DB_NAME: db.name, DB_MIGRATE_ON_START: 'true' },
        dispose: database.drop,
      };
    },
  },
];
