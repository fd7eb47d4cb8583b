import type { MikroORM } from '@mikro-orm/core';
import type { Bind } from 'inversify';
import { InMemoryIdentityStore } from '../../adapters/persistence/in-memory/in-memory-identity-store.js';
import type { Config } from '../config.js';
import { TOKENS as T } from './tokens.js';

/**
 * The linked-identity store, by one exhaustive switch over DB_DRIVER, on the connection the
 * persistence module opened (T.Orm). Each case imports its own adapter, as the persistence module does.
 */
export async function bindIdentityStore(bind: Bind, driver: Config['db']['driver']): Promise<void> {
  switch (driver) {
    case 'memory':
      bind(T.IdentityStore).toConstantValue(new InMemoryIdentityStore());
      return;
    case 'sqlite':
    case 'postgres': {
      const { MikroOrmIdentityStore } =
        await import('../../adapters/persistence/mikro-orm/mikro-orm-identity-store.js');
      bind(T.IdentityStore).toResolvedValue((o: MikroORM) => new MikroOrmIdentityStore(o), [T.Orm]);
      return;
    }
    case 'mongo': {
      const { MongoIdentityStore } = await import('../../adapters/persistence/mongo/mongo-identity-store.js');
      bind(T.IdentityStore).toResolvedValue((o: MikroORM) => new MongoIdentityStore(o), [T.Orm]);
      return;
    }
    default: {
      const unreachable: never = driver;
      throw new Error(`unknown DB_DRIVER ${String(unreachable)}`);
    }
  }
}
