import { Container } from 'inversify';
import type { Logger } from 'pino';
import type { CachedSecretStore } from '../../adapters/secrets/cached-secret-store.js';
import { SystemClock } from '../../adapters/system/system-clock.js';
import { UuidV7Generator } from '../../adapters/system/uuid-v7-generator.js';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';
import { authModule } from './auth-module.js';
import { filesModule } from './files-module.js';
import { persistenceModule } from './persistence-module.js';
import { Resources } from './resources.js';
import { sessionsModule } from './sessions-module.js';
import { useCaseModule } from './use-case-module.js';

export interface CompositionOptions {
  /** The secrets the config was built from; kept fresh while the app runs (signing-key rotation). */
  secrets?: CachedSecretStore;
}

export interface Composition {
  container: Container;
  resources: Resources;
}

/** The composition root: the only place that knows which adapter serves which port. */
export async function buildContainer(config: Config, logger: Logger, options: CompositionOptions = {}): Promise<Composition> {
  const resources = new Resources();
  const container = new Container({ defaultScope: 'Singleton' });
  const clock = new SystemClock();
  container.bind(TOKENS.Config).toConstantValue(config);
  container.bind(TOKENS.Logger).toConstantValue(logger);
  container.bind(TOKENS.Clock).toConstantValue(clock);
  container.bind(TOKENS.IdGenerator).toConstantValue(new UuidV7Generator());
  try {
    container.load(
      await persistenceModule(config, logger, resources),
      await authModule(config, { clock, logger, resources, secrets: options.secrets }),
      await sessionsModule(config, resources),
      await filesModule(config, logger, resources),
      useCaseModule,
    );
  } catch (error) {
    await resources.close();
    throw error;
  }
  return { container, resources };
}
