import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { validate as isUuid } from 'uuid';
import { AccountToken, type AccountTokenPurpose } from '../../../domain/account/account-token.js';
import type { AccountTokenStore } from '../../../domain/ports/account-token-store.js';
import { AccountTokenSchema } from './account-token-schema.js';
import { translateDbError } from './db-errors.js';
import { contextEm } from './transaction-scope.js';

const detached = (t: AccountToken) =>
  new AccountToken(t.id, t.userId, t.purpose, t.digest, t.email ?? null, new Date(t.createdAt), new Date(t.expiresAt));

/**
 * Account tokens in `account_tokens`, every operation through the caller's transaction when there
 * is one (see transaction-scope.ts). A duplicate digest is skipped by ON CONFLICT DO NOTHING rather
 * than caught: on PostgreSQL a failed statement would abort the caller's whole transaction. A
 * consume is one DELETE, which exactly one concurrent caller sees remove the row.
 */
export class MikroOrmAccountTokenStore implements AccountTokenStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): SqlEntityManager {
    return contextEm(this.orm) as SqlEntityManager;
  }

  insert(token: AccountToken): Promise<boolean> {
    return translateDbError(async () => {
      const qb = this.em().createQueryBuilder(AccountTokenSchema).insert(detached(token)).onConflict('digest').ignore();
      const result = await qb.execute('run');
      return result.affectedRows === 1;
    });
  }

  findByDigest(digest: string): Promise<AccountToken | null> {
    return translateDbError(async () => {
      const found = await this.em().findOne(AccountTokenSchema, { digest }, { disableIdentityMap: true });
      return found ? detached(found) : null;
    });
  }

  consume(id: string): Promise<boolean> {
    if (!isUuid(id)) return Promise.resolve(false);
    return translateDbError(async () => (await this.em().nativeDelete(AccountTokenSchema, { id })) === 1);
  }

  revokeAll(userId: string, purpose: AccountTokenPurpose): Promise<void> {
    if (!isUuid(userId)) return Promise.resolve();
    return translateDbError(async () => void (await this.em().nativeDelete(AccountTokenSchema, { userId, purpose })));
  }

  deleteExpired(now: Date): Promise<number> {
    return translateDbError(() => this.em().nativeDelete(AccountTokenSchema, { expiresAt: { $lt: now } }));
  }
}
