import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { RefreshTokenStore } from '../../../domain/ports/refresh-token-store.js';
import { RefreshToken } from '../../../domain/session/refresh-token.js';
import { translateDbError } from './db-errors.js';
import { contextEm } from './transaction-scope.js';

const detached = (t: RefreshToken) =>
  new RefreshToken(
    t.id,
    t.familyId,
    t.userId,
    t.tokenDigest,
    t.createdAt,
    t.expiresAt,
    t.spentAt ?? null,
    t.revokedAt ?? null,
    [...t.amr],
  );

/**
 * Writes are single native statements (no unit of work): "spend" must be an atomic compare-and-set,
 * and reads bypass the identity map so a request sees what another request just changed. Inside a
 * unit of work every operation runs in its transaction (see transaction-scope.ts).
 */
export class MikroOrmRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return contextEm(this.orm);
  }

  insert(token: RefreshToken): Promise<void> {
    return translateDbError(async () => void (await this.em().insert(RefreshToken, detached(token))));
  }

  findByDigest(digest: string): Promise<RefreshToken | null> {
    return translateDbError(async () => {
      const found = await this.em().findOne(RefreshToken, { tokenDigest: digest }, { disableIdentityMap: true });
      return found ? detached(found) : null;
    });
  }

  spend(id: string, at: Date): Promise<boolean> {
    return translateDbError(
      async () => (await this.em().nativeUpdate(RefreshToken, { id, spentAt: null }, { spentAt: at })) === 1,
    );
  }

  revokeFamily(familyId: string, at: Date): Promise<void> {
    return translateDbError(
      async () => void (await this.em().nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: at })),
    );
  }

  revokeAllOfUser(userId: string, at: Date): Promise<void> {
    return translateDbError(
      async () => void (await this.em().nativeUpdate(RefreshToken, { userId, revokedAt: null }, { revokedAt: at })),
    );
  }

  isFamilyActive(familyId: string): Promise<boolean> {
    return translateDbError(
      async () => (await this.em().count(RefreshToken, { familyId, revokedAt: { $ne: null } })) === 0,
    );
  }
}
