import { MikroORM } from '@mikro-orm/core';
import type { MongoDriver } from '@mikro-orm/mongodb';
import type { HealthCheck } from '../../../domain/ports/health-check.js';
import { translateMongoError } from './mongo-errors.js';
import type { OrmOptions } from '../mikro-orm/driver-log.js';
import { hostsOf, mongoOrmOptions, type MongoSettings } from './mongo-orm-options.js';

/**
 * Connects and creates the collections and indexes the stores rely on (the unique email above
 * all), or fails within DB_POOL_ACQUIRE_TIMEOUT_MS with a message naming the hosts and never the
 * credentials. Unlike SQL, which boots and answers 503 until its database is back, a Mongo boot
 * needs the server: without the unique index, two users could share an email.
 */
export async function openMongo(db: MongoSettings, opts: OrmOptions = {}): Promise<MikroORM<MongoDriver>> {
  const orm = await MikroORM.init<MongoDriver>(mongoOrmOptions(db, opts));
  try {
    await ensureMongoIndexes(orm);
    return orm;
  } catch (error) {
    await orm.close(true);
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const unreachable = error instanceof Error && error.name === 'MongoServerSelectionError';
    const what = unreachable ? `did not answer within ${db.pool.acquireTimeoutMs} ms` : 'could not be opened';
    throw new Error(`MongoDB at ${hostsOf(db.mongoUrl ?? '')} ${what}: ${reason}`, { cause: error });
  }
}

/** Idempotent: creates what is missing (collections, indexes) and leaves the rest. */
export async function ensureMongoIndexes(orm: MikroORM<MongoDriver>): Promise<void> {
  await orm.getSchemaGenerator().ensureIndexes();
}

/** Readiness: one `ping` round trip, bounded by the server selection timeout. */
export function mongoHealthCheck(orm: MikroORM<MongoDriver>): HealthCheck {
  return {
    name: 'database',
    check: () =>
      translateMongoError(async () => {
        const connection = orm.em.getDriver().getConnection();
        await connection.ensureConnection();
        await connection.getDb().command({ ping: 1 });
      }),
  };
}
