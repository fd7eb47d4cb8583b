import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';

/** What is read of knex's tarn pool; tarn declares `max` protected, but it is the bound the pool enforces. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingCreates(): number;
  numPendingAcquires(): number;
  max: number;
}

/**
 * Reads the knex (tarn) pool behind a SQL MikroORM, undefined until the pool exists: connections
 * lent out (`used`), idle (`free`), being opened (`creating`), requests waiting for one (`waiting`),
 * and the pool's bound (`max`; SQLite's is 1, whatever DB_POOL_MAX says).
 */
export function poolStats(orm: MikroORM) {
  const connection = orm.em.getConnection() as unknown as AbstractSqlConnection;
  return () => {
    const pool = connection.getKnex().client.pool as TarnPool | undefined;
    if (!pool) return undefined;
    return {
      used: pool.numUsed(),
      free: pool.numFree(),
      creating: pool.numPendingCreates(),
      waiting: pool.numPendingAcquires(),
      max: pool.max,
    };
  };
}
