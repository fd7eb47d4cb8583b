import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { Identity } from '../../../domain/oidc/identity.js';
import type { IdentityStore } from '../../../domain/ports/identity-store.js';
import { duplicateKeyIn, translateMongoError } from './mongo-errors.js';
import { asDate, asString, asStringOrNull } from './mongo-guards.js';
import { MongoIdentitySchema, type IdentityDocument } from './mongo-identity-schema.js';

const toDocument = (i: Identity): Omit<IdentityDocument, 'id'> => ({
  _id: asString(i.id, 'id'),
  userId: asString(i.userId, 'userId'),
  provider: asString(i.provider, 'provider'),
  subject: asString(i.subject, 'subject'),
  email: asStringOrNull(i.email, 'email'),
  createdAt: asDate(i.createdAt, 'createdAt'),
});

const toIdentity = (d: IdentityDocument) =>
  new Identity(d._id, d.userId, d.provider, d.subject, d.email ?? null, new Date(d.createdAt));

/**
 * The same contract as MikroOrmIdentityStore; the unique indexes decide a race between two inserts.
 * Without foreign keys, a user's identities outlive a user removed for good: a sign-in whose
 * identity names no user is treated as not linked (FederatedAccounts).
 */
export class MongoIdentityStore implements IdentityStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  /** MongoDB names the index of a duplicate, FerretDB none: a free `_id` means one of the unique keys. */
  insert(identity: Identity): Promise<boolean> {
    return translateMongoError(async () => {
      const document = toDocument(identity);
      const em = this.em();
      try {
        await em.insert<IdentityDocument>(MongoIdentitySchema, document);
        return true;
      } catch (error) {
        if (!duplicateKeyIn(error)) throw error;
        if ((await em.count(MongoIdentitySchema, { _id: document._id })) === 0) return false;
        throw error;
      }
    });
  }

  findBySubject(provider: string, subject: string): Promise<Identity | null> {
    return translateMongoError(async () => {
      const where = { provider: asString(provider, 'provider'), subject: asString(subject, 'subject') };
      const found = await this.em().findOne(MongoIdentitySchema, where, { disableIdentityMap: true });
      return found ? toIdentity(found) : null;
    });
  }

  listByUser(userId: string): Promise<Identity[]> {
    return translateMongoError(async () => {
      const found = await this.em().find(
        MongoIdentitySchema,
        { userId: asString(userId, 'userId') },
        { orderBy: { createdAt: 'asc', _id: 'asc' }, disableIdentityMap: true },
      );
      return found.map(toIdentity);
    });
  }

  countByUser(userId: string): Promise<number> {
    return translateMongoError(() => this.em().count(MongoIdentitySchema, { userId: asString(userId, 'userId') }));
  }

  delete(userId: string, provider: string): Promise<boolean> {
    return translateMongoError(async () => {
      const where = { userId: asString(userId, 'userId'), provider: asString(provider, 'provider') };
      return (await this.em().nativeDelete(MongoIdentitySchema, where)) > 0;
    });
  }
}
