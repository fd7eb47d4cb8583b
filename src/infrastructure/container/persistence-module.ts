import type { MikroORM } from '@mikro-orm/core';
import { ContainerModule } from 'inversify';
import { InMemoryRefreshTokenStore } from '../../adapters/persistence/in-memory/in-memory-refresh-token-store.js';
import { InMemoryUserStore } from '../../adapters/persistence/in-memory/in-memory-user-store.js';
import { MikroOrmRefreshTokenStore } from '../../adapters/persistence/mikro-orm/mikro-orm-refresh-token-store.js';
import { MikroOrmUserStore } from '../../adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { databaseHealthCheck, migrate, openOrm } from '../../adapters/persistence/mikro-orm/open-orm.js';
import { mikroOrmRequestScope } from '../../adapters/persistence/mikro-orm/request-scope.js';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';
import type { Resources } from './resources.js';

/** One exhaustive switch over the configured database driver. */
export async function persistenceModule(config: Config, resources: Resources): Promise<ContainerModule> {
  const driver = config.db.driver;
  switch (driver) {
    case 'memory':
      return new ContainerModule(({ bind }) => {
        bind(TOKENS.UserStore).toConstantValue(new InMemoryUserStore());
        bind(TOKENS.RefreshTokenStore).toConstantValue(new InMemoryRefreshTokenStore());
        bind(TOKENS.HealthChecks).toConstantValue([]);
      });
    case 'sqlite':
    case 'postgres': {
      const orm = await openOrm(config.db);
      resources.onClose(() => orm.close(true));
      if (config.db.migrateOnStart) await migrate(orm, 'up');
      resources.requestScope = mikroOrmRequestScope(orm);
      return new ContainerModule(({ bind }) => {
        bind<MikroORM>(TOKENS.Orm).toConstantValue(orm);
        bind(TOKENS.UserStore).toResolvedValue((o: MikroORM) => new MikroOrmUserStore(o), [TOKENS.Orm]);
        bind(TOKENS.RefreshTokenStore).toResolvedValue((o: MikroORM) => new MikroOrmRefreshTokenStore(o), [TOKENS.Orm]);
        bind(TOKENS.HealthChecks).toConstantValue([databaseHealthCheck(orm)]);
      });
    }
    default: {
      const unreachable: never = driver;
      throw new Error(`unknown DB_DRIVER ${String(unreachable)}`);
    }
  }
}
