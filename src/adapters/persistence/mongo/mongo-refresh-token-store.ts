import { RequestContext, type EntityManager, type FilterQuery, type MikroORM } from '@mikro-orm/core';
import type { RefreshTokenStore } from '../../../domain/ports/refresh-token-store.js';
import { RefreshToken } from '../../../domain/session/refresh-token.js';
import { translateMongoError } from './mongo-errors.js';
import { asDate, asDateOrNull, asString } from './mongo-guards.js';
import { MongoRefreshTokenSchema, type RefreshTokenDocument } from './mongo-refresh-token-schema.js';

const toDocument = (t: RefreshToken): Omit<RefreshTokenDocument, 'id'> => ({
  _id: asString(t.id, 'id'),
  familyId: asString(t.familyId, 'familyId'),
  userId: asString(t.userId, 'userId'),
  tokenDigest: asString(t.tokenDigest, 'tokenDigest'),
  createdAt: asDate(t.createdAt, 'createdAt'),
  expiresAt: asDate(t.expiresAt, 'expiresAt'),
  spentAt: asDateOrNull(t.spentAt ?? null, 'spentAt'),
  revokedAt: asDateOrNull(t.revokedAt ?? null, 'revokedAt'),
});

const toToken = (d: RefreshTokenDocument) =>
  new RefreshToken(d._id, d.familyId, d.userId, d.tokenDigest, d.createdAt, d.expiresAt, d.spentAt ?? null, d.revokedAt ?? null);

/**
 * The same contract as MikroOrmRefreshTokenStore. "spend" is one conditional update of one
 * document, atomic in MongoDB, so exactly one concurrent caller sees it change. A filter on
 * `null` also matches a missing field, which is how an unspent or unrevoked token may look.
 */
export class MongoRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return RequestContext.getEntityManager() ?? this.orm.em.fork();
  }

  insert(token: RefreshToken): Promise<void> {
    return translateMongoError(async () => void (await this.em().insert<RefreshTokenDocument>(MongoRefreshTokenSchema, toDocument(token))));
  }

  findByDigest(digest: string): Promise<RefreshToken | null> {
    return translateMongoError(async () => {
      const where = { tokenDigest: asString(digest, 'tokenDigest') };
      const found = await this.em().findOne(MongoRefreshTokenSchema, where, { disableIdentityMap: true });
      return found ? toToken(found) : null;
    });
  }

  spend(id: string, at: Date): Promise<boolean> {
    return translateMongoError(async () => {
      const where = { _id: asString(id, 'id'), spentAt: null };
      return (await this.em().nativeUpdate(MongoRefreshTokenSchema, where, { spentAt: asDate(at, 'at') })) === 1;
    });
  }

  revokeFamily(familyId: string, at: Date): Promise<void> {
    return this.revokeWhere(() => ({ familyId: asString(familyId, 'familyId'), revokedAt: null }), at);
  }

  revokeAllOfUser(userId: string, at: Date): Promise<void> {
    return this.revokeWhere(() => ({ userId: asString(userId, 'userId'), revokedAt: null }), at);
  }

  isFamilyActive(familyId: string): Promise<boolean> {
    return translateMongoError(async () => {
      const where = { familyId: asString(familyId, 'familyId'), revokedAt: { $ne: null } };
      return (await this.em().count(MongoRefreshTokenSchema, where)) === 0;
    });
  }

  /** Revokes what is not revoked yet; `where` is built inside, so a refused value rejects, never throws. */
  private revokeWhere(where: () => FilterQuery<RefreshTokenDocument>, at: Date): Promise<void> {
    return translateMongoError(async () => void (await this.em().nativeUpdate(MongoRefreshTokenSchema, where(), { revokedAt: asDate(at, 'at') })));
  }
}
