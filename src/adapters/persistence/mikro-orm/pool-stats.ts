import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';

export interface PoolStats {
  /** Connections lent out to requests. */
  used: number;
  /** Open connections nobody holds. */
  free: number;
  /** Connections being opened. */
  creating: number;
  /** Requests waiting for a connection. */
  waiting: number;
  /** The pool's bound (SQLite's is 1, whatever DB_POOL_MAX says). */
  max: number;
}

/** Reads the knex (tarn) pool behind a SQL MikroORM; undefined until the pool exists. */
export function poolStats(orm: MikroORM): () => PoolStats | undefined {
  const connection = orm.em.getConnection() as unknown as AbstractSqlConnection;
  return () => {
    const pool = connection.getKnex().client.pool;
    if (!pool) return undefined;
    // tarn declares `max` protected; it is the bound the pool actually enforces.
    const { max } = pool as unknown as { max: number };
    return { used: pool.numUsed(), free: pool.numFree(), creating: pool.numPendingCreates(), waiting: pool.numPendingAcquires(), max };
  };
}
