import { QueryOrder, RequestContext, type EntityManager, type FilterQuery, type MikroORM } from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import { invalid, invalidCursor } from '../../../domain/errors.js';
import type { FindOptions, UserPage, UserQuery, UserStore } from '../../../domain/ports/user-store.js';
import { ROLES } from '../../../domain/user/role.js';
import { listStatusOf, USER_STATUSES, type UserStatus } from '../../../domain/user/status.js';
import { keyOf, nameKey, USER_SORTS } from '../../../domain/user/user-list.js';
import { User } from '../../../domain/user/user.js';
import { emailTaken, userNotFound } from '../../../domain/user/user-errors.js';
import { duplicateKeyIn, isOnIndex, isUnnamed, translateMongoError } from './mongo-errors.js';
import { MongoFileSchema } from './mongo-file-schema.js';
import { keepLifecycle, withoutLifecycle } from '../lifecycle-fields.js';
import { listQuery } from './mongo-user-list.js';
import { MongoIdentitySchema } from './mongo-identity-schema.js';
import { MongoPasskeyChallengeSchema, MongoPasskeySchema } from './mongo-passkey-schema.js';
import { MongoAccountTokenSchema, MongoAccountTokenUseSchema } from './mongo-account-token-schema.js';
import { asDate, asDateOrNull, asProfile, asString, asStringOrNull } from './mongo-guards.js';
import { MongoRefreshTokenSchema } from './mongo-refresh-token-schema.js';
import { MongoRefreshTokenSpendSchema } from './mongo-refresh-token-spend-schema.js';
import { MongoUserSchema, USERS_EMAIL_INDEX, type UserDocument } from './mongo-user-schema.js';
import { atVersion, deleteClaims, storedVersion, writeVersioned } from './mongo-versions.js';

function toDocument(u: User): Omit<UserDocument, 'id'> {
  const role = asString(u.role, 'role');
  if (!(ROLES as readonly string[]).includes(role))
    throw invalid('Role is not valid.', [{ path: 'role', message: 'unknown role' }]);
  return {
    _id: asString(u.id, 'id'),
    email: asString(u.email, 'email'),
    name: asString(u.name, 'name'),
    role: role as User['role'],
    profile: asProfile(u.profile),
    passwordHash: asString(u.passwordHash, 'passwordHash'),
    createdAt: asDate(u.createdAt, 'createdAt'),
    updatedAt: asDate(u.updatedAt, 'updatedAt'),
    emailVerifiedAt: asDateOrNull(u.emailVerifiedAt ?? null, 'emailVerifiedAt'),
    totpSecret: asStringOrNull(u.totpSecret, 'totpSecret'),
    totpEnabledAt: asDateOrNull(u.totpEnabledAt ?? null, 'totpEnabledAt'),
    status: asStatus(u.status),
    deletedAt: asDateOrNull(u.deletedAt ?? null, 'deletedAt'),
    listStatus: listStatusOf(u),
    nameKey: nameKey(asString(u.name, 'name')),
  };
}

function asStatus(value: unknown): UserStatus {
  const status = asString(value, 'status');
  if (!(USER_STATUSES as readonly string[]).includes(status))
    throw invalid('Status is not valid.', [{ path: 'status', message: 'unknown status' }]);
  return status as UserStatus;
}

/** Soft-deleted users are found only when asked for. */
const notDeleted = (options: FindOptions): { deletedAt?: null } => (options.withDeleted ? {} : { deletedAt: null });

const dateOrNull = (d: Date | null | undefined) => (d == null ? null : new Date(d));

// Callers get plain domain objects with their own copies, never ORM-managed documents.
const toUser = (d: UserDocument) =>
  new User(
    d._id,
    d.email,
    d.name,
    d.role,
    structuredClone(d.profile),
    d.passwordHash,
    new Date(d.createdAt),
    new Date(d.updatedAt),
    dateOrNull(d.emailVerifiedAt),
    d.totpSecret ?? null,
    dateOrNull(d.totpEnabledAt),
    storedVersion(d),
    d.status ?? 'active',
    dateOrNull(d.deletedAt),
  );

/** Which document of an ordered bulk insert failed: the first write error's index, in the error or its causes. */
function failedIndexIn(error: unknown): number | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth += 1) {
    const writeErrors: unknown = 'writeErrors' in e ? e.writeErrors : undefined;
    const first: unknown = Array.isArray(writeErrors) ? writeErrors[0] : undefined;
    const index: unknown = first !== null && typeof first === 'object' && 'index' in first ? first.index : undefined;
    if (typeof index === 'number') return index;
  }
  return undefined;
}

/**
 * The same contract as MikroOrmUserStore: writes are native commands (one each; `delete` does the
 * foreign keys' work too) and reads bypass the identity map. Every value in a filter has passed `asString` (see mongo-guards.ts). Ids that are
 * not UUIDs cannot exist, so they miss without a query, as on SQL.
 */
export class MongoUserStore implements UserStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return RequestContext.getEntityManager() ?? this.orm.em.fork();
  }

  create(user: User): Promise<void> {
    return translateMongoError(async () => {
      const document = toDocument(user);
      const em = this.em();
      try {
        await em.insert<UserDocument>(MongoUserSchema, { ...document, version: 1 });
      } catch (error) {
        const duplicate = duplicateKeyIn(error);
        if (!duplicate) throw error;
        // MongoDB names the index; FerretDB names none on an insert. `users` has two unique keys,
        // so a duplicate whose `_id` is free is the email. A taken `_id` is not an email clash.
        const onEmail = isUnnamed(duplicate)
          ? (await em.count(MongoUserSchema, { _id: document._id })) === 0
          : isOnIndex(duplicate, USERS_EMAIL_INDEX, 'email');
        throw onEmail ? emailTaken() : error;
      }
    });
  }

  /**
   * One ordered `insertMany`. Without a transaction (that needs a replica set) the server stops at
   * the first duplicate with the documents before it already stored; those (this call's own `_id`s,
   * nothing else) are then deleted again, so the batch ends all-or-nothing. A reader may see them in
   * between, and a crash in between leaves them there.
   */
  createMany(users: readonly User[]): Promise<void> {
    return translateMongoError(async () => {
      const documents = users.map((user) => ({ ...toDocument(user), version: 1 }));
      if (documents.length === 0) return;
      const em = this.em();
      try {
        await em.insertMany<UserDocument>(MongoUserSchema, documents);
      } catch (error) {
        const duplicate = duplicateKeyIn(error);
        const failed = failedIndexIn(error);
        if (!duplicate || failed === undefined) throw error;
        // As in create: FerretDB names no index, and a duplicate whose `_id` is free is the email.
        const onEmail = isUnnamed(duplicate)
          ? (await em.count(MongoUserSchema, { _id: documents[failed]!._id })) === 0
          : isOnIndex(duplicate, USERS_EMAIL_INDEX, 'email');
        const stored = documents.slice(0, failed).map((d) => d._id);
        if (stored.length > 0) await em.nativeDelete(MongoUserSchema, { _id: { $in: stored } });
        throw onEmail ? emailTaken() : error;
      }
    });
  }

  /** Versioned through a claim per version (mongo-versions.ts): one winner among concurrent writers. */
  update(user: User, expectedVersion?: number): Promise<void> {
    return translateMongoError(async () => {
      const { _id, createdAt: _kept, ...changes } = toDocument(user);
      const em = this.em();
      if (!isUuid(_id)) throw userNotFound();
      const version = await writeVersioned(
        em,
        `users:${_id}`,
        () => this.versionOf(em, _id),
        expectedVersion,
        (from, to) =>
          em
            .nativeUpdate(
              MongoUserSchema,
              { _id, ...atVersion(from) },
              // Over a version the caller never read: its status and deletion stand (see UserStore).
              { ...(from === user.version ? changes : withoutLifecycle(changes)), version: to },
            )
            .catch((error) => {
              // `_id` is never changed, so a duplicate key here is the email, however the server words it.
              throw duplicateKeyIn(error) ? emailTaken() : error;
            }),
      );
      if (version === null) throw userNotFound();
      if (version !== user.version + 1) {
        // Written over a version the caller never read: the user as stored keeps that version's lifecycle.
        const stored = await this.findOne({ _id });
        if (stored) keepLifecycle(user, stored);
      }
      user.version = version;
    });
  }

  findById(id: string, options: FindOptions = {}): Promise<User | null> {
    return translateMongoError(async () =>
      isUuid(asString(id, 'id')) ? this.findOne({ _id: id, ...notDeleted(options) }) : null,
    );
  }

  findByEmail(email: string, options: FindOptions = {}): Promise<User | null> {
    return translateMongoError(async () => this.findOne({ email: asString(email, 'email'), ...notDeleted(options) }));
  }

  list(query: UserQuery): Promise<UserPage> {
    return translateMongoError(async () => {
      const { limit } = query;
      const sort = query.sort ?? 'createdAt';
      if (!(USER_SORTS as readonly string[]).includes(asString(sort, 'sort'))) throw invalidCursor();
      if (!Number.isSafeInteger(limit) || limit < 0)
        throw invalid('The limit is not valid.', [{ path: 'limit', message: 'must be a whole number' }]);
      const { where, orderBy } = listQuery(query, sort);
      // One extra document tells whether another page follows, without a count.
      const docs = await this.em().find(MongoUserSchema, where, {
        orderBy,
        limit: limit + 1,
        disableIdentityMap: true,
      });
      const items = docs.slice(0, limit).map(toUser);
      const last = items.at(-1);
      return { items, last: docs.length > limit && last ? keyOf(last, sort) : null };
    });
  }

  listDeletedBefore(before: Date, limit: number): Promise<User[]> {
    return translateMongoError(async () => {
      const docs = await this.em().find(
        MongoUserSchema,
        { listStatus: 'deleted', deletedAt: { $lt: asDate(before, 'before') } },
        { orderBy: { deletedAt: QueryOrder.ASC }, limit, disableIdentityMap: true },
      );
      return docs.map(toUser);
    });
  }

  /**
   * What SQL's foreign keys do, by hand. A user who still owns file rows is kept, as ON DELETE
   * RESTRICT keeps them there: DeleteUser deletes the bytes and rows first, so a row here means an
   * upload raced the deletion, and the error fails the request with the user still in place to
   * retry. The user's refresh tokens and their spends, account tokens and their uses, passkeys and
   * their pending challenges, and linked identities then go too, as ON DELETE CASCADE removes them. These are separate commands, not a transaction (that
   * needs a replica set): a file created between the check and the delete, or a token or spend a
   * racing refresh inserts after it, is left behind, ownerless. Tokens and spends are deleted even
   * when the user was already gone, so a retry finishes a half-done delete.
   */
  delete(id: string, expectedVersion?: number): Promise<boolean> {
    return translateMongoError(async () => {
      if (!isUuid(asString(id, 'id'))) return false;
      const em = this.em();
      if ((await em.count(MongoFileSchema, { ownerId: id })) > 0)
        throw new Error(`User ${id} still owns file rows; DeleteUserFiles removes them first.`);
      const deleted =
        expectedVersion === undefined
          ? (await em.nativeDelete(MongoUserSchema, { _id: id })) > 0
          : (await writeVersioned(
              em,
              `users:${id}`,
              () => this.versionOf(em, id),
              expectedVersion,
              (from) => em.nativeDelete(MongoUserSchema, { _id: id, ...atVersion(from) }),
            )) !== null;
      await deleteClaims(em, `users:${id}`);
      await em.nativeDelete(MongoRefreshTokenSchema, { userId: id });
      await em.nativeDelete(MongoRefreshTokenSpendSchema, { userId: id });
      await em.nativeDelete(MongoAccountTokenSchema, { userId: id });
      await em.nativeDelete(MongoAccountTokenUseSchema, { userId: id });
      await em.nativeDelete(MongoPasskeySchema, { userId: id });
      await em.nativeDelete(MongoPasskeyChallengeSchema, { userId: id });
      await em.nativeDelete(MongoIdentitySchema, { userId: id });
      return deleted;
    });
  }

  private async versionOf(em: EntityManager, _id: string): Promise<number | null> {
    const found = await em.findOne(MongoUserSchema, { _id }, { disableIdentityMap: true, fields: ['version'] });
    return found ? storedVersion(found) : null;
  }

  private async findOne(where: FilterQuery<UserDocument>): Promise<User | null> {
    const found = await this.em().findOne(MongoUserSchema, where, { disableIdentityMap: true });
    return found ? toUser(found) : null;
  }
}
