/** Where the ORM and its SQL driver write what they have to say; pino's Logger is one. */
export interface DriverLog {
  debug(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface OrmOptions {
  debug?: boolean;
  /** Without one, MikroORM and knex write plain lines to stdout (knex's "Connection Error: ..."). */
  log?: DriverLog;
}

/**
 * MikroORM's logger and knex's (connection errors, pool warnings, deprecations) routed to `log`,
 * one structured record each, instead of console.log.
 */
export function driverLogging(log: DriverLog | undefined) {
  if (!log) return { mikro: {}, knex: {} };
  const text = (message: unknown) => (typeof message === 'string' ? message : String(message));
  return {
    mikro: { logger: (message: string) => log.debug({ component: 'mikro-orm' }, message) },
    knex: {
      log: {
        debug: (message: unknown) => log.debug({ component: 'knex' }, text(message)),
        warn: (message: unknown) => log.warn({ component: 'knex' }, text(message)),
        error: (message: unknown) => log.error({ component: 'knex' }, text(message)),
        deprecate: (method: unknown, alternative: unknown) =>
          log.warn({ component: 'knex' }, `${text(method)} is deprecated: use ${text(alternative)}`),
      },
    },
  };
}
