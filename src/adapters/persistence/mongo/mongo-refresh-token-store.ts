import { RequestContext, type EntityManager, type FilterQuery, type MikroORM } from '@mikro-orm/core';
import type { RefreshTokenStore } from '../../../domain/ports/refresh-token-store.js';
import { invalid } from '../../../domain/errors.js';
import { AUTH_METHODS as KNOWN_METHODS, RefreshToken, type AuthMethod } from '../../../domain/session/refresh-token.js';
import { duplicateKeyIn, translateMongoError } from './mongo-errors.js';
import { asDate, asDateOrNull, asString } from './mongo-guards.js';
import { MongoRefreshTokenSchema, type RefreshTokenDocument } from './mongo-refresh-token-schema.js';
import { MongoRefreshTokenSpendSchema, type RefreshTokenSpendDocument } from './mongo-refresh-token-spend-schema.js';

const AUTH_METHODS: readonly string[] = KNOWN_METHODS;

function asAmr(value: unknown): AuthMethod[] {
  if (!Array.isArray(value) || value.length === 0)
    throw invalid('Authentication methods must be a list.', [{ path: 'amr', message: 'must be a non-empty list' }]);
  return value.map((m, i) => {
    if (AUTH_METHODS.includes(asString(m, `amr.${i}`))) return m as AuthMethod;
    throw invalid('Authentication method is not valid.', [{ path: `amr.${i}`, message: 'unknown method' }]);
  });
}

const toDocument = (t: RefreshToken): Omit<RefreshTokenDocument, 'id'> => ({
  _id: asString(t.id, 'id'),
  familyId: asString(t.familyId, 'familyId'),
  userId: asString(t.userId, 'userId'),
  tokenDigest: asString(t.tokenDigest, 'tokenDigest'),
  createdAt: asDate(t.createdAt, 'createdAt'),
  expiresAt: asDate(t.expiresAt, 'expiresAt'),
  revokedAt: asDateOrNull(t.revokedAt ?? null, 'revokedAt'),
  amr: asAmr(t.amr),
});

const toToken = (d: RefreshTokenDocument, spend: RefreshTokenSpendDocument | null) =>
  new RefreshToken(
    d._id,
    d.familyId,
    d.userId,
    d.tokenDigest,
    d.createdAt,
    d.expiresAt,
    spend?.spentAt ?? null,
    d.revokedAt ?? null,
    d.amr ? [...d.amr] : ['pwd'],
  );

/**
 * The same contract as MikroOrmRefreshTokenStore. A spend is a document of its own, inserted
 * once with the token's id as `_id`: the unique `_id` lets exactly one concurrent caller succeed,
 * on MongoDB and on FerretDB alike (a conditional update does not on FerretDB v1, see
 * mongo-refresh-token-spend-schema.ts), and the losers then read the winner's `spentAt`.
 * A filter on `null` also matches a missing field, which is how an unrevoked token may look.
 */
export class MongoRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return RequestContext.getEntityManager() ?? this.orm.em.fork();
  }

  /** A token that arrives already spent (the port allows it) gets its spend document too. */
  insert(token: RefreshToken): Promise<void> {
    return translateMongoError(async () => {
      const document = toDocument(token);
      const spentAt = asDateOrNull(token.spentAt ?? null, 'spentAt');
      const em = this.em();
      await em.insert<RefreshTokenDocument>(MongoRefreshTokenSchema, document);
      if (spentAt)
        await em.insert<RefreshTokenSpendDocument>(MongoRefreshTokenSpendSchema, {
          _id: document._id,
          userId: document.userId,
          spentAt,
        });
    });
  }

  findByDigest(digest: string): Promise<RefreshToken | null> {
    return translateMongoError(async () => {
      const em = this.em();
      const found = await em.findOne(
        MongoRefreshTokenSchema,
        { tokenDigest: asString(digest, 'tokenDigest') },
        { disableIdentityMap: true },
      );
      if (!found) return null;
      return toToken(
        found,
        await em.findOne(MongoRefreshTokenSpendSchema, { _id: found._id }, { disableIdentityMap: true }),
      );
    });
  }

  /** Only an existing token can be spent; its spend is inserted once, a duplicate `_id` means already spent. */
  spend(id: string, at: Date): Promise<boolean> {
    return translateMongoError(async () => {
      const [_id, spentAt] = [asString(id, 'id'), asDate(at, 'at')];
      const em = this.em();
      const token = await em.findOne(MongoRefreshTokenSchema, { _id }, { disableIdentityMap: true });
      if (!token) return false;
      try {
        await em.insert<RefreshTokenSpendDocument>(MongoRefreshTokenSpendSchema, {
          _id,
          userId: token.userId,
          spentAt,
        });
        return true;
      } catch (error) {
        if (duplicateKeyIn(error)) return false;
        throw error;
      }
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
    return translateMongoError(
      async () =>
        void (await this.em().nativeUpdate(MongoRefreshTokenSchema, where(), { revokedAt: asDate(at, 'at') })),
    );
  }
}
