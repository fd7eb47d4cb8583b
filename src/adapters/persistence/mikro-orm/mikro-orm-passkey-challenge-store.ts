import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { PasskeyChallengeStore } from '../../../domain/ports/passkey-challenge-store.js';
import { PasskeyChallenge, type PasskeyCeremony } from '../../../domain/passkey/passkey.js';
import { translateDbError } from './db-errors.js';
import { PasskeyChallengeSchema, type PasskeyChallengeRow } from './passkey-schema.js';
import { contextEm } from './transaction-scope.js';

const toChallenge = (r: PasskeyChallengeRow) =>
  new PasskeyChallenge(
    r.id,
    r.ceremony as PasskeyCeremony,
    r.userId ?? null,
    new Date(r.createdAt),
    new Date(r.expiresAt),
  );

/** Challenges in `passkey_challenges`. A consume is a read and one DELETE, which exactly one concurrent caller sees remove the row. */
export class MikroOrmPasskeyChallengeStore implements PasskeyChallengeStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): SqlEntityManager {
    return contextEm(this.orm) as SqlEntityManager;
  }

  insert(c: PasskeyChallenge): Promise<void> {
    return translateDbError(async () => {
      const row: PasskeyChallengeRow = { ...c };
      await this.em().insert(PasskeyChallengeSchema, row);
    });
  }

  consume(id: string): Promise<PasskeyChallenge | null> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 64) return Promise.resolve(null);
    return translateDbError(async () => {
      const em = this.em();
      const row = await em.findOne(PasskeyChallengeSchema, { id }, { disableIdentityMap: true });
      if (!row || (await em.nativeDelete(PasskeyChallengeSchema, { id })) !== 1) return null;
      return toChallenge(row);
    });
  }

  deleteExpired(now: Date): Promise<number> {
    return translateDbError(() => this.em().nativeDelete(PasskeyChallengeSchema, { expiresAt: { $lt: now } }));
  }
}
