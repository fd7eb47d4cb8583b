import type { MikroORM } from '@mikro-orm/core';
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
    let thrownByWork = false;
    try {
      return await this.orm.em.fork().transactional(async () => {
        try {
          return await work();
        } catch (error) {
          thrownByWork = true;
          throw error;
        }
      });
    } catch (error) {
      throw thrownByWork ? error : toStoreError(error);
    }
  }
}
