import type { MikroORM } from '@mikro-orm/core';
import { DomainError } from '../../../domain/errors.js';
import type { UnitOfWork } from '../../../domain/ports/unit-of-work.js';
import { toStoreError } from './db-errors.js';

/**
 * One database transaction around `work`. `em.transactional` puts the transaction's EntityManager
 * in the async context, where the SQL stores find it (transaction-scope.ts). What `work` throws
 * rolls back and comes out as it was; a failure to begin or commit is put in the port's vocabulary.
 */
export class MikroOrmUnitOfWork implements UnitOfWork {
  constructor(private readonly orm: MikroORM) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    let thrownByWork: { error: unknown } | undefined;
    try {
      return await this.orm.em.fork().transactional(async () => {
        try {
          return await work();
        } catch (error) {
          thrownByWork = { error };
          throw error;
        }
      });
    } catch (error) {
      // The work's own error when it is one of the port's (a store already translated it), even if
      // the rollback then failed on a dead connection. When the connection died under the
      // transaction itself (BEGIN failed, knex ended it), the work's next query only says the
      // transaction is over: the transaction's error (ECONNRESET ...) is the one to report.
      if (thrownByWork?.error instanceof DomainError) throw thrownByWork.error;
      const translated = toStoreError(error);
      throw translated instanceof DomainError || !thrownByWork ? translated : thrownByWork.error;
    }
  }
}
