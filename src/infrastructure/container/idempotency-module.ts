import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { Idempotency } from '../../adapters/http/idempotency.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { IdempotencyStore } from '../../domain/ports/idempotency-store.js';
import type { Config } from '../config.js';
import { repeatEvery } from './repeat-every.js';
import { TOKENS as T } from './tokens.js';

/** Expired idempotency records are removed this often (they count as absent anyway; this keeps the table small). */
const SWEEP_INTERVAL_MS = 60 * 60_000;

/** Idempotency-Key on the creating POSTs (the store is the persistence module's), and a sweep of expired records. */
export function idempotencyModule(config: Config, logger: Logger): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(T.Idempotency).toResolvedValue(
      (store: IdempotencyStore, clock: Clock) => new Idempotency(store, clock, config.http.idempotency),
      [T.IdempotencyStore, T.Clock],
    );
    bind(T.BackgroundJobs)
      .toResolvedValue(
        (store: IdempotencyStore, clock: Clock) =>
          repeatEvery(
            SWEEP_INTERVAL_MS,
            async () => {
              const removed = await store.deleteExpired(clock.now());
              if (removed > 0) logger.info({ removed }, 'idempotency keys: expired ones removed');
            },
            (error) => logger.error({ err: error }, 'idempotency key sweep failed'),
          ),
        [T.IdempotencyStore, T.Clock],
      )
      .onDeactivation((job) => job.stop());
  });
}
