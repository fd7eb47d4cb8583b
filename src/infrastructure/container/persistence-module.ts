import type { MikroORM } from '@mikro-orm/core';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { InMemoryFileCatalog } from '../../adapters/persistence/in-memory/in-memory-file-catalog.js';
import { InMemoryRefreshTokenStore } from '../../adapters/persistence/in-memory/in-memory-refresh-token-store.js';
import { InMemoryUserStore } from '../../adapters/persistence/in-memory/in-memory-user-store.js';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';
import type { Resources } from './resources.js';

/**
 * One exhaustive switch over the configured database driver. Each case imports its own adapters,
 * so a process loads one database driver, not all three (tens of MiB of RSS each).
 */
export async function persistenceModule(config: Config, logger: Logger, resources: Resources): Promise<ContainerModule> {
  const driver = config.db.driver;
  switch (driver) {
    case 'memory':
      return new ContainerModule(({ bind }) => {
        bind(TOKENS.UserStore).toConstantValue(new InMemoryUserStore());
        bind(TOKENS.RefreshTokenStore).toConstantValue(new InMemoryRefreshTokenStore());
        bind(TOKENS.FileCatalog).toConstantValue(new InMemoryFileCatalog());
        bind(TOKENS.HealthChecks).toConstantValue([]);
      });
    case 'sqlite':
    case 'postgres': {
      const [{ databaseHealthCheck, migrate, openOrm }, { poolStats }, { MikroOrmUserStore }, { MikroOrmRefreshTokenStore }, { MikroOrmActiveUsers }, { MikroOrmFileCatalog }] =
        await Promise.all([
          import('../../adapters/persistence/mikro-orm/open-orm.js'),
          import('../../adapters/persistence/mikro-orm/pool-stats.js'),
          import('../../adapters/persistence/mikro-orm/mikro-orm-user-store.js'),
          import('../../adapters/persistence/mikro-orm/mikro-orm-refresh-token-store.js'),
          import('../../adapters/persistence/mikro-orm/mikro-orm-active-users.js'),
          import('../../adapters/persistence/mikro-orm/mikro-orm-file-catalog.js'),
        ]);
      const orm = await openOrm(config.db, { log: logger });
      resources.onClose(() => orm.close(true));
      if (config.db.migrateOnStart) await migrate(orm, 'up');
      // No per-request RequestContext here: every SQL store operation is a native statement or an
      // identity-map-free read on a fork of its own, so a request-wide fork isolated nothing more,
      // and its AsyncLocalStorage taxed every promise of every request (docs/performance.md).
      resources.poolStats = poolStats(orm);
      return new ContainerModule(({ bind }) => {
        bind<MikroORM>(TOKENS.Orm).toConstantValue(orm);
        bind(TOKENS.UserStore).toResolvedValue((o: MikroORM) => new MikroOrmUserStore(o), [TOKENS.Orm]);
        bind(TOKENS.RefreshTokenStore).toResolvedValue((o: MikroORM) => new MikroOrmRefreshTokenStore(o), [TOKENS.Orm]);
        bind(TOKENS.ActiveUsers).toResolvedValue((o: MikroORM) => new MikroOrmActiveUsers(o), [TOKENS.Orm]);
        bind(TOKENS.FileCatalog).toResolvedValue((o: MikroORM) => new MikroOrmFileCatalog(o), [TOKENS.Orm]);
        bind(TOKENS.HealthChecks).toConstantValue([databaseHealthCheck(orm)]);
      });
    }
    case 'mongo': {
      const [{ mongoHealthCheck, openMongo }, { mikroOrmRequestScope }, { MongoUserStore }, { MongoRefreshTokenStore }, { MongoFileCatalog }] = await Promise.all([
        import('../../adapters/persistence/mongo/open-mongo.js'),
        import('../../adapters/persistence/mikro-orm/request-scope.js'),
        import('../../adapters/persistence/mongo/mongo-user-store.js'),
        import('../../adapters/persistence/mongo/mongo-refresh-token-store.js'),
        import('../../adapters/persistence/mongo/mongo-file-catalog.js'),
      ]);
      // Connects and ensures the indexes (the unique email) now: an unreachable server fails the boot.
      const orm = await openMongo(config.db, { log: logger });
      resources.onClose(() => orm.close(true));
      resources.requestScope = mikroOrmRequestScope(orm);
      return new ContainerModule(({ bind }) => {
        bind<MikroORM>(TOKENS.Orm).toConstantValue(orm);
        bind(TOKENS.UserStore).toResolvedValue((o: MikroORM) => new MongoUserStore(o), [TOKENS.Orm]);
        bind(TOKENS.RefreshTokenStore).toResolvedValue((o: MikroORM) => new MongoRefreshTokenStore(o), [TOKENS.Orm]);
        bind(TOKENS.FileCatalog).toResolvedValue((o: MikroORM) => new MongoFileCatalog(o), [TOKENS.Orm]);
        bind(TOKENS.HealthChecks).toConstantValue([mongoHealthCheck(orm)]);
      });
    }
    default: {
      const unreachable: never = driver;
      throw new Error(`unknown DB_DRIVER ${String(unreachable)}`);
    }
  }
}
