import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { validate as isUuid } from 'uuid';
import { Identity } from '../../../domain/oidc/identity.js';
import type { IdentityStore } from '../../../domain/ports/identity-store.js';
import { translateDbError } from './db-errors.js';
import { IdentitySchema } from './identity-schema.js';
import { contextEm } from './transaction-scope.js';

const detached = (i: Identity) =>
  new Identity(i.id, i.userId, i.provider, i.subject, i.email ?? null, new Date(i.createdAt));

/**
 * Linked identities in `identities`, through the caller's transaction when there is one. A taken
 * (provider, subject) or (user, provider) is skipped by ON CONFLICT DO NOTHING rather than caught,
 * so a PostgreSQL transaction around it stays usable.
 */
export class MikroOrmIdentityStore implements IdentityStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): SqlEntityManager {
    return contextEm(this.orm) as SqlEntityManager;
  }

  insert(identity: Identity): Promise<boolean> {
    return translateDbError(async () => {
      const qb = this.em().createQueryBuilder(IdentitySchema).insert(detached(identity)).onConflict().ignore();
      const result = await qb.execute('run');
      return result.affectedRows === 1;
    });
  }

  findBySubject(provider: string, subject: string): Promise<Identity | null> {
    return translateDbError(async () => {
      const found = await this.em().findOne(IdentitySchema, { provider, subject }, { disableIdentityMap: true });
      return found ? detached(found) : null;
    });
  }

  listByUser(userId: string): Promise<Identity[]> {
    if (!isUuid(userId)) return Promise.resolve([]);
    return translateDbError(async () => {
      const found = await this.em().find(
        IdentitySchema,
        { userId },
        { orderBy: { createdAt: 'asc', id: 'asc' }, disableIdentityMap: true },
      );
      return found.map(detached);
    });
  }

  countByUser(userId: string): Promise<number> {
    if (!isUuid(userId)) return Promise.resolve(0);
    return translateDbError(() => this.em().count(IdentitySchema, { userId }));
  }

  delete(userId: string, provider: string): Promise<boolean> {
    if (!isUuid(userId)) return Promise.resolve(false);
    return translateDbError(async () => (await this.em().nativeDelete(IdentitySchema, { userId, provider })) === 1);
  }
}
