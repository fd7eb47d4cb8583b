import type { MikroORM } from '@mikro-orm/core';
import { ContainerModule, type Bind } from 'inversify';
import type { Logger } from 'pino';
import { InMemoryAccountTokenStore } from '../../adapters/persistence/in-memory/in-memory-account-token-store.js';
import { InMemoryIdempotencyStore } from '../../adapters/persistence/in-memory/in-memory-idempotency-store.js';
import { InMemoryFileCatalog } from '../../adapters/persistence/in-memory/in-memory-file-catalog.js';
import { InMemoryMailQueue } from '../../adapters/persistence/in-memory/in-memory-mail-queue.js';
import { InMemoryRefreshTokenStore } from '../../adapters/persistence/in-memory/in-memory-refresh-token-store.js';
import { InMemoryUserStore } from '../../adapters/persistence/in-memory/in-memory-user-store.js';
import { PassThroughUnitOfWork } from '../../adapters/persistence/pass-through-unit-of-work.js';
import { activeUsersFromStores } from '../../application/auth/active-users-from-stores.js';
import type { Config } from '../config.js';
import { TOKENS as T } from './tokens.js';

/**
 * The stores, by one exhaustive switch over DB_DRIVER. Each case imports its own adapters, so a
 * process loads one database driver, not all three (tens of MiB of RSS each). The connection opens
 * when something first needs it and closes when the container is unbound (shutdown).
 */
export function persistenceModule(config: Config, logger: Logger): ContainerModule {
  return new ContainerModule(async ({ bind }) => {
    const driver = config.db.driver;
    switch (driver) {
      case 'memory':
        return bindMemory(bind);
      case 'sqlite':
      case 'postgres':
        return bindSql(bind, config, logger);
      case 'mongo':
        return bindMongo(bind, config, logger);
      default: {
        const unreachable: never = driver;
        throw new Error(`unknown DB_DRIVER ${String(unreachable)}`);
      }
    }
  });
}

/** Stores that cannot look a session and its user up at once answer ActiveUsers with two lookups. */
const bindActiveUsersFromStores = (bind: Bind) =>
  bind(T.ActiveUsers).toResolvedValue(
    (users, sessions) => activeUsersFromStores(users, sessions),
    [T.UserStore, T.RefreshTokenStore],
  );

function bindMemory(bind: Bind): void {
  bind(T.UserStore).toConstantValue(new InMemoryUserStore());
  bind(T.RefreshTokenStore).toConstantValue(new InMemoryRefreshTokenStore());
  bindActiveUsersFromStores(bind);
  bind(T.FileCatalog).toConstantValue(new InMemoryFileCatalog());
  bind(T.MailQueue).toConstantValue(new InMemoryMailQueue());
  bind(T.AccountTokenStore).toConstantValue(new InMemoryAccountTokenStore());
  bind(T.IdempotencyStore).toConstantValue(new InMemoryIdempotencyStore());
  bind(T.UnitOfWork).toConstantValue(new PassThroughUnitOfWork());
  bind(T.HealthChecks).toConstantValue([]);
  bind(T.PoolStats).toConstantValue(undefined);
  bind(T.RequestScope).toConstantValue(undefined);
}

async function bindSql(bind: Bind, config: Config, logger: Logger): Promise<void> {
  const [
    { databaseHealthCheck, migrate, openOrm },
    { poolStats },
    { MikroOrmUserStore },
    { MikroOrmRefreshTokenStore },
    { MikroOrmActiveUsers },
    { MikroOrmFileCatalog },
    { MikroOrmMailQueue },
    { MikroOrmAccountTokenStore },
    { MikroOrmIdempotencyStore },
    { MikroOrmUnitOfWork },
  ] = await Promise.all([
    import('../../adapters/persistence/mikro-orm/open-orm.js'),
    import('../../adapters/persistence/mikro-orm/pool-stats.js'),
    import('../../adapters/persistence/mikro-orm/mikro-orm-user-store.js'),
    import('../../adapters/persistence/mikro-orm/mikro-orm-refresh-token-store.js'),
    import('../../adapters/persistence/mikro-orm/mikro-orm-active-users.js'),
    import('../../adapters/persistence/mikro-orm/mikro-orm-file-catalog.js'),
    import('../../adapters/persistence/mikro-orm/mikro-orm-mail-queue.js'),
    import('../../adapters/persistence/mikro-orm/mikro-orm-account-token-store.js'),
    import('../../adapters/persistence/mikro-orm/mikro-orm-idempotency-store.js'),
    import('../../adapters/persistence/mikro-orm/mikro-orm-unit-of-work.js'),
  ]);
  const open = async () => {
    const orm = await openOrm(config.db, { log: logger });
    if (!config.db.migrateOnStart) return orm;
    await migrate(orm, 'up').catch(async (error: unknown) => {
      await orm.close(true);
      throw error;
    });
    return orm;
  };
  bind(T.Orm)
    .toResolvedValue(open)
    .onDeactivation((orm) => orm.close(true));
  bind(T.UserStore).toResolvedValue((o: MikroORM) => new MikroOrmUserStore(o), [T.Orm]);
  bind(T.RefreshTokenStore).toResolvedValue((o: MikroORM) => new MikroOrmRefreshTokenStore(o), [T.Orm]);
  // One statement for both lookups.
  bind(T.ActiveUsers).toResolvedValue((o: MikroORM) => new MikroOrmActiveUsers(o), [T.Orm]);
  bind(T.FileCatalog).toResolvedValue((o: MikroORM) => new MikroOrmFileCatalog(o), [T.Orm]);
  const dialect = config.db.driver === 'postgres' ? 'postgres' : 'sqlite';
  bind(T.MailQueue).toResolvedValue((o: MikroORM) => new MikroOrmMailQueue(o, dialect), [T.Orm]);
  bind(T.AccountTokenStore).toResolvedValue((o: MikroORM) => new MikroOrmAccountTokenStore(o), [T.Orm]);
  bind(T.IdempotencyStore).toResolvedValue((o: MikroORM) => new MikroOrmIdempotencyStore(o), [T.Orm]);
  bind(T.UnitOfWork).toResolvedValue((o: MikroORM) => new MikroOrmUnitOfWork(o), [T.Orm]);
  bind(T.HealthChecks).toResolvedValue((o: MikroORM) => [databaseHealthCheck(o)], [T.Orm]);
  bind(T.PoolStats).toResolvedValue((o: MikroORM) => poolStats(o), [T.Orm]);
  // No per-request RequestContext here: every SQL store operation is a native statement or an
  // identity-map-free read on a fork of its own, so a request-wide fork isolated nothing more,
  // and its AsyncLocalStorage taxed every promise of every request (docs/performance.md).
  bind(T.RequestScope).toConstantValue(undefined);
}

async function bindMongo(bind: Bind, config: Config, logger: Logger): Promise<void> {
  const [
    { mongoHealthCheck, openMongo },
    { mikroOrmRequestScope },
    { MongoUserStore },
    { MongoRefreshTokenStore },
    { MongoFileCatalog },
    { MongoMailQueue },
    { MongoAccountTokenStore },
    { MongoIdempotencyStore },
  ] = await Promise.all([
    import('../../adapters/persistence/mongo/open-mongo.js'),
    import('../../adapters/persistence/mikro-orm/request-scope.js'),
    import('../../adapters/persistence/mongo/mongo-user-store.js'),
    import('../../adapters/persistence/mongo/mongo-refresh-token-store.js'),
    import('../../adapters/persistence/mongo/mongo-file-catalog.js'),
    import('../../adapters/persistence/mongo/mongo-mail-queue.js'),
    import('../../adapters/persistence/mongo/mongo-account-token-store.js'),
    import('../../adapters/persistence/mongo/mongo-idempotency-store.js'),
  ]);
  // Opening connects and ensures the indexes (the unique email): an unreachable server fails the boot.
  bind(T.MongoOrm)
    .toResolvedValue(() => openMongo(config.db, { log: logger }))
    .onDeactivation((orm) => orm.close(true));
  bind(T.Orm).toService(T.MongoOrm);
  bind(T.UserStore).toResolvedValue((o: MikroORM) => new MongoUserStore(o), [T.Orm]);
  bind(T.RefreshTokenStore).toResolvedValue((o: MikroORM) => new MongoRefreshTokenStore(o), [T.Orm]);
  bindActiveUsersFromStores(bind);
  bind(T.FileCatalog).toResolvedValue((o: MikroORM) => new MongoFileCatalog(o), [T.Orm]);
  bind(T.MailQueue).toResolvedValue((o: MikroORM) => new MongoMailQueue(o), [T.Orm]);
  bind(T.AccountTokenStore).toResolvedValue((o: MikroORM) => new MongoAccountTokenStore(o), [T.Orm]);
  bind(T.IdempotencyStore).toResolvedValue((o: MikroORM) => new MongoIdempotencyStore(o), [T.Orm]);
  // No transactions without a replica set: the use cases order their writes instead.
  bind(T.UnitOfWork).toConstantValue(new PassThroughUnitOfWork());
  bind(T.HealthChecks).toResolvedValue((o) => [mongoHealthCheck(o)], [T.MongoOrm]);
  bind(T.PoolStats).toConstantValue(undefined);
  bind(T.RequestScope).toResolvedValue((o: MikroORM) => mikroOrmRequestScope(o), [T.Orm]);
}
