import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { invalid } from '../../../domain/errors.js';
import type { PasskeyStore, PasskeyUse } from '../../../domain/ports/passkey-store.js';
import { Passkey, type PasskeyDeviceType } from '../../../domain/passkey/passkey.js';
import { duplicateKeyIn, translateMongoError } from './mongo-errors.js';
import { asCount, asDate, asString } from './mongo-guards.js';
import { MongoPasskeySchema, type PasskeyDocument } from './mongo-passkey-schema.js';

const asFlag = (value: unknown, path: string): boolean => {
  if (typeof value === 'boolean') return value;
  throw invalid('A stored flag must be true or false.', [{ path, message: 'must be a boolean' }]);
};

const toDocument = (p: Passkey): Omit<PasskeyDocument, 'id'> => ({
  _id: asString(p.id, 'id'),
  userId: asString(p.userId, 'userId'),
  publicKey: Buffer.from(p.publicKey).toString('base64url'),
  counter: asCount(p.counter, 'counter'),
  transports: p.transports.map((t, i) => asString(t, `transports.${i}`)),
  deviceType: asString(p.deviceType, 'deviceType'),
  backedUp: asFlag(p.backedUp, 'backedUp'),
  name: asString(p.name, 'name'),
  createdAt: asDate(p.createdAt, 'createdAt'),
  lastUsedAt: p.lastUsedAt && asDate(p.lastUsedAt, 'lastUsedAt'),
});

const toPasskey = (d: PasskeyDocument) =>
  new Passkey(
    d._id,
    d.userId,
    new Uint8Array(Buffer.from(d.publicKey, 'base64url')),
    d.counter,
    [...(d.transports ?? [])],
    d.deviceType as PasskeyDeviceType,
    d.backedUp,
    d.name,
    new Date(d.createdAt),
    d.lastUsedAt ? new Date(d.lastUsedAt) : null,
  );

/**
 * The same contract as MikroOrmPasskeyStore. A duplicate credential id is the `_id` index's
 * duplicate key. A use is a conditional update on the counter: atomic on MongoDB; FerretDB v1 applies
 * it in two steps, so two uses racing there may both pass (the single-use challenge still holds).
 */
export class MongoPasskeyStore implements PasskeyStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  insert(passkey: Passkey): Promise<boolean> {
    return translateMongoError(async () => {
      try {
        await this.em().insert<PasskeyDocument>(MongoPasskeySchema, toDocument(passkey));
        return true;
      } catch (error) {
        if (duplicateKeyIn(error)) return false;
        throw error;
      }
    });
  }

  findById(id: string): Promise<Passkey | null> {
    return translateMongoError(async () => {
      const found = await this.em().findOne(
        MongoPasskeySchema,
        { _id: asString(id, 'id') },
        { disableIdentityMap: true },
      );
      return found ? toPasskey(found) : null;
    });
  }

  listByUser(userId: string): Promise<Passkey[]> {
    return translateMongoError(async () => {
      const found = await this.em().find(
        MongoPasskeySchema,
        { userId: asString(userId, 'userId') },
        { orderBy: { createdAt: 'asc', _id: 'asc' }, disableIdentityMap: true },
      );
      return found.map(toPasskey);
    });
  }

  countByUser(userId: string): Promise<number> {
    return translateMongoError(() => this.em().count(MongoPasskeySchema, { userId: asString(userId, 'userId') }));
  }

  recordUse(id: string, use: PasskeyUse): Promise<boolean> {
    return translateMongoError(async () => {
      const where = { _id: asString(id, 'id'), counter: asCount(use.previousCounter, 'previousCounter') };
      const changes = {
        counter: asCount(use.counter, 'counter'),
        lastUsedAt: asDate(use.usedAt, 'usedAt'),
        backedUp: asFlag(use.backedUp, 'backedUp'),
      };
      return (await this.em().nativeUpdate(MongoPasskeySchema, where, changes)) === 1;
    });
  }

  delete(id: string, userId: string): Promise<boolean> {
    return translateMongoError(async () => {
      const where = { _id: asString(id, 'id'), userId: asString(userId, 'userId') };
      return (await this.em().nativeDelete(MongoPasskeySchema, where)) > 0;
    });
  }
}
