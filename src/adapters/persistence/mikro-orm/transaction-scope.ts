import { RequestContext, TransactionContext, type EntityManager, type MikroORM } from '@mikro-orm/core';

/**
 * The EntityManager a store should write through: the transaction's when the caller runs inside
 * one (MikroOrmUnitOfWork, `em.transactional`), else the request's, else a fork of its own. On
 * SQLite this matters beyond atomicity: the pool has one connection, which an open transaction holds.
 */
export const contextEm = (orm: MikroORM): EntityManager =>
  TransactionContext.getEntityManager(orm.em.name) ?? RequestContext.getEntityManager(orm.em.name) ?? orm.em.fork();
