import { Container } from 'inversify';
import type { Logger } from 'pino';
import type { CachedSecretStore } from '../../adapters/secrets/cached-secret-store.js';
import { SystemClock } from '../../adapters/system/system-clock.js';
import { UuidV7Generator } from '../../adapters/system/uuid-v7-generator.js';
import type { Config } from '../config.js';
import { accountsModule } from './accounts-module.js';
import { authModule } from './auth-module.js';
import { filesModule } from './files-module.js';
import { healthModule } from './health-module.js';
import { idempotencyModule } from './idempotency-module.js';
import { mailModule } from './mail-module.js';
import { mailQueueModule } from './mail-queue-module.js';
import { oidcModule } from './oidc-module.js';
import { passkeysModule } from './passkeys-module.js';
import { persistenceModule } from './persistence-module.js';
import { s3EventsModule } from './s3-events-module.js';
import { sessionsModule } from './sessions-module.js';
import { TOKENS as T } from './tokens.js';
import { usersModule } from './users-module.js';

export interface CompositionOptions {
  /** The secrets the config was built from; kept fresh while the app runs (signing-key rotation). */
  secrets?: CachedSecretStore;
  /**
   * Tests only, never set by the app or a CLI: runs once every module is loaded and before anything
   * is resolved, to replace a binding with `container.rebind(...)` (a use case that fails, a clock
   * the test moves, health checks that hang).
   */
  override?: (container: Container) => void;
}

/**
 * The composition root: the only place that knows which adapter serves which port. Nothing is opened
 * here; a connection opens when something first needs it, and `closeContainer` closes what was.
 * Modules load in this order, which is the order of their routes (and of the OpenAPI document).
 */
export async function buildContainer(
  config: Config,
  logger: Logger,
  options: CompositionOptions = {},
): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(T.Config).toConstantValue(config);
  container.bind(T.Logger).toConstantValue(logger);
  container.bind(T.Clock).toConstantValue(new SystemClock());
  container.bind(T.IdGenerator).toConstantValue(new UuidV7Generator());
  const features = [
    persistenceModule(config, logger),
    idempotencyModule(config, logger),
    healthModule(config, logger),
    authModule(config, logger, options.secrets),
    sessionsModule(config),
    usersModule(config, logger),
    accountsModule(config, logger),
    passkeysModule(config, logger),
    oidcModule(config, logger),
    filesModule(config, logger),
    mailModule(config, logger),
    mailQueueModule(config, logger),
    s3EventsModule(config),
  ];
  // One at a time: loaded together, a module that awaits an import could bind its routes out of order.
  for (const module of features) await container.loadAsync(module);
  options.override?.(container);
  return container;
}

/**
 * Closes what the modules opened, through each binding's onDeactivation (only bindings that were
 * resolved have anything to close). unbindAllAsync runs every handler at once, so the background
 * jobs, which still use the stores, are stopped and awaited first.
 */
export async function closeContainer(container: Container): Promise<void> {
  await container.unbindAsync(T.BackgroundJobs);
  await container.unbindAllAsync();
}
