import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import {
  ACCOUNT_TOKEN_PURPOSES,
  AccountToken,
  type AccountTokenPurpose,
} from '../../../domain/account/account-token.js';
import { invalid } from '../../../domain/errors.js';
import type { AccountTokenStore } from '../../../domain/ports/account-token-store.js';
import {
  ACCOUNT_TOKENS_DIGEST_INDEX,
  MongoAccountTokenSchema,
  MongoAccountTokenUseSchema,
  type AccountTokenDocument,
} from './mongo-account-token-schema.js';
import { duplicateKeyIn, isOnIndex, isUnnamed, translateMongoError } from './mongo-errors.js';
import { asDate, asString, asStringOrNull } from './mongo-guards.js';

function asPurpose(value: unknown): AccountTokenPurpose {
  const purpose = asString(value, 'purpose');
  if ((ACCOUNT_TOKEN_PURPOSES as readonly string[]).includes(purpose)) return purpose as AccountTokenPurpose;
  throw invalid('Purpose is not valid.', [{ path: 'purpose', message: 'unknown purpose' }]);
}

const toDocument = (t: AccountToken): Omit<AccountTokenDocument, 'id'> => ({
  _id: asString(t.id, 'id'),
  userId: asString(t.userId, 'userId'),
  purpose: asPurpose(t.purpose),
  digest: asString(t.digest, 'digest'),
  email: asStringOrNull(t.email, 'email'),
  createdAt: asDate(t.createdAt, 'createdAt'),
  expiresAt: asDate(t.expiresAt, 'expiresAt'),
});

const toToken = (d: AccountTokenDocument) =>
  new AccountToken(d._id, d.userId, d.purpose, d.digest, d.email ?? null, new Date(d.createdAt), new Date(d.expiresAt));

/**
 * The same contract as MikroOrmAccountTokenStore, without transactions (they need a replica set):
 * each write is a command of its own. A consume is won by inserting the token's `account_token_uses`
 * document (see there): a conditional delete lets several callers win on FerretDB.
 */
export class MongoAccountTokenStore implements AccountTokenStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  /** MongoDB names the index of a duplicate; FerretDB names none on an insert, so a free `_id` means the digest. */
  insert(token: AccountToken): Promise<boolean> {
    return translateMongoError(async () => {
      const document = toDocument(token);
      const em = this.em();
      try {
        await em.insert<AccountTokenDocument>(MongoAccountTokenSchema, document);
        return true;
      } catch (error) {
        const duplicate = duplicateKeyIn(error);
        if (!duplicate) throw error;
        const onDigest = isUnnamed(duplicate)
          ? (await em.count(MongoAccountTokenSchema, { _id: document._id })) === 0
          : isOnIndex(duplicate, ACCOUNT_TOKENS_DIGEST_INDEX, 'digest');
        if (onDigest) return false;
        throw error;
      }
    });
  }

  findByDigest(digest: string): Promise<AccountToken | null> {
    return translateMongoError(async () => {
      const where = { digest: asString(digest, 'digest') };
      const found = await this.em().findOne(MongoAccountTokenSchema, where, { disableIdentityMap: true });
      return found ? toToken(found) : null;
    });
  }

  consume(id: string): Promise<boolean> {
    return translateMongoError(async () => {
      const _id = asString(id, 'id');
      if (!isUuid(_id)) return false;
      const em = this.em();
      const token = await em.findOne(MongoAccountTokenSchema, { _id }, { disableIdentityMap: true });
      if (!token) return false;
      try {
        await em.insert(MongoAccountTokenUseSchema, { _id, userId: token.userId, expiresAt: token.expiresAt });
      } catch (error) {
        if (duplicateKeyIn(error)) return false;
        throw error;
      }
      // Revoked between the read and the use: not a live token any more.
      return (await em.nativeDelete(MongoAccountTokenSchema, { _id })) > 0;
    });
  }

  revokeAll(userId: string, purpose: AccountTokenPurpose): Promise<void> {
    return translateMongoError(async () => {
      const where = { userId: asString(userId, 'userId'), purpose: asPurpose(purpose) };
      await this.em().nativeDelete(MongoAccountTokenSchema, where);
    });
  }

  /** Uses go once their token would have expired: nobody can consume an expired token any more. */
  deleteExpired(now: Date): Promise<number> {
    return translateMongoError(async () => {
      const before = { expiresAt: { $lt: asDate(now, 'now') } };
      const em = this.em();
      const deleted = await em.nativeDelete(MongoAccountTokenSchema, before);
      await em.nativeDelete(MongoAccountTokenUseSchema, before);
      return deleted;
    });
  }
}
