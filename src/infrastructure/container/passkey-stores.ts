import type { MikroORM } from '@mikro-orm/core';
import type { Bind } from 'inversify';
import { InMemoryPasskeyChallengeStore } from '../../adapters/persistence/in-memory/in-memory-passkey-challenge-store.js';
import { InMemoryPasskeyStore } from '../../adapters/persistence/in-memory/in-memory-passkey-store.js';
import type { Config } from '../config.js';
import { TOKENS as T } from './tokens.js';

/**
 * The passkey stores, by one exhaustive switch over DB_DRIVER, on the connection the persistence
 * module opened (T.Orm). Each case imports its own adapters, as the persistence module does.
 */
export async function bindPasskeyStores(bind: Bind, driver: Config['db']['driver']): Promise<void> {
  switch (driver) {
    case 'memory':
      bind(T.PasskeyStore).toConstantValue(new InMemoryPasskeyStore());
      bind(T.PasskeyChallengeStore).toConstantValue(new InMemoryPasskeyChallengeStore());
      return;
    case 'sqlite':
    case 'postgres': {
      const [{ MikroOrmPasskeyStore }, { MikroOrmPasskeyChallengeStore }] = await Promise.all([
        import('../../adapters/persistence/mikro-orm/mikro-orm-passkey-store.js'),
        import('../../adapters/persistence/mikro-orm/mikro-orm-passkey-challenge-store.js'),
      ]);
      bind(T.PasskeyStore).toResolvedValue((o: MikroORM) => new MikroOrmPasskeyStore(o), [T.Orm]);
      bind(T.PasskeyChallengeStore).toResolvedValue((o: MikroORM) => new MikroOrmPasskeyChallengeStore(o), [T.Orm]);
      return;
    }
    case 'mongo': {
      const [{ MongoPasskeyStore }, { MongoPasskeyChallengeStore }] = await Promise.all([
        import('../../adapters/persistence/mongo/mongo-passkey-store.js'),
        import('../../adapters/persistence/mongo/mongo-passkey-challenge-store.js'),
      ]);
      bind(T.PasskeyStore).toResolvedValue((o: MikroORM) => new MongoPasskeyStore(o), [T.Orm]);
      bind(T.PasskeyChallengeStore).toResolvedValue((o: MikroORM) => new MongoPasskeyChallengeStore(o), [T.Orm]);
      return;
    }
    default: {
      const unreachable: never = driver;
      throw new Error(`unknown DB_DRIVER ${String(unreachable)}`);
    }
  }
}
