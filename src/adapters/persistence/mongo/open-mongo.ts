import { MikroORM } from '@mikro-orm/core';
import type { MongoDriver } from '@mikro-orm/mongodb';
import type { HealthCheck } from '../../../domain/ports/health-check.js';
import { nameKey } from '../../../domain/user/user-list.js';
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
  await backfillListFields(orm);
}

/**
 * Users written before status and the list fields existed get them (what SQL's migration does):
 * active, not deleted, and the name key. Once per document; a no-op query on later boots.
 */
async function backfillListFields(orm: MikroORM<MongoDriver>): Promise<void> {
  const users = orm.em.getDriver().getConnection().getCollection<{ _id: string; name: string }>('users');
  for (;;) {
    const batch = await users.find({ nameKey: { $exists: false } }, { projection: { name: 1 }, limit: 500 }).toArray();
    if (batch.length === 0) return;
    for (const { _id, name } of batch) {
      await users.updateOne(
        { _id, nameKey: { $exists: false } },
        { $set: { nameKey: nameKey(String(name)), status: 'active', listStatus: 'active', deletedAt: null } },
      );
    }
  }
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
