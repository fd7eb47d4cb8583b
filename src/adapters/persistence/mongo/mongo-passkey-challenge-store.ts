import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { invalid } from '../../../domain/errors.js';
import type { PasskeyChallengeStore } from '../../../domain/ports/passkey-challenge-store.js';
import { PasskeyChallenge, type PasskeyCeremony } from '../../../domain/passkey/passkey.js';
import { duplicateKeyIn, translateMongoError } from './mongo-errors.js';
import { asDate, asString, asStringOrNull } from './mongo-guards.js';
import {
  MongoPasskeyChallengeSchema,
  MongoPasskeyChallengeUseSchema,
  type PasskeyChallengeDocument,
} from './mongo-passkey-schema.js';

const CEREMONIES: readonly string[] = ['registration', 'authentication'] satisfies PasskeyCeremony[];

function asCeremony(value: unknown): PasskeyCeremony {
  const ceremony = asString(value, 'ceremony');
  if (CEREMONIES.includes(ceremony)) return ceremony as PasskeyCeremony;
  throw invalid('Ceremony is not valid.', [{ path: 'ceremony', message: 'unknown ceremony' }]);
}

const toChallenge = (d: PasskeyChallengeDocument) =>
  new PasskeyChallenge(
    d._id,
    d.ceremony as PasskeyCeremony,
    d.userId ?? null,
    new Date(d.createdAt),
    new Date(d.expiresAt),
  );

/**
 * The same contract as MikroOrmPasskeyChallengeStore, without transactions. A consume is won by
 * inserting the challenge's `passkey_challenge_uses` document (see there).
 */
export class MongoPasskeyChallengeStore implements PasskeyChallengeStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  insert(c: PasskeyChallenge): Promise<void> {
    return translateMongoError(async () => {
      await this.em().insert<PasskeyChallengeDocument>(MongoPasskeyChallengeSchema, {
        _id: asString(c.id, 'id'),
        ceremony: asCeremony(c.ceremony),
        userId: asStringOrNull(c.userId, 'userId'),
        createdAt: asDate(c.createdAt, 'createdAt'),
        expiresAt: asDate(c.expiresAt, 'expiresAt'),
      });
    });
  }

  consume(id: string): Promise<PasskeyChallenge | null> {
    return translateMongoError(async () => {
      const _id = asString(id, 'id');
      const em = this.em();
      const found = await em.findOne(MongoPasskeyChallengeSchema, { _id }, { disableIdentityMap: true });
      if (!found) return null;
      try {
        await em.insert(MongoPasskeyChallengeUseSchema, { _id, expiresAt: found.expiresAt });
      } catch (error) {
        if (duplicateKeyIn(error)) return null;
        throw error;
      }
      await em.nativeDelete(MongoPasskeyChallengeSchema, { _id });
      return toChallenge(found);
    });
  }

  /** Uses go once their challenge would have expired: nobody can answer an expired challenge any more. */
  deleteExpired(now: Date): Promise<number> {
    return translateMongoError(async () => {
      const before = { expiresAt: { $lt: asDate(now, 'now') } };
      const em = this.em();
      const deleted = await em.nativeDelete(MongoPasskeyChallengeSchema, before);
      await em.nativeDelete(MongoPasskeyChallengeUseSchema, before);
      return deleted;
    });
  }
}
