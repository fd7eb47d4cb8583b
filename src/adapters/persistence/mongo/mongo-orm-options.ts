import type { DriverException, Options } from '@mikro-orm/core';
import { defineConfig, MongoDriver } from '@mikro-orm/mongodb';
import { driverLogging, type OrmOptions } from '../mikro-orm/driver-log.js';
import { MongoAccountTokenSchema, MongoAccountTokenUseSchema } from './mongo-account-token-schema.js';
import { MongoFileSchema } from './mongo-file-schema.js';
import { MongoIdempotencyKeySchema, MongoIdempotencyTakeoverSchema } from './mongo-idempotency-key-schema.js';
import { MongoIdentitySchema } from './mongo-identity-schema.js';
import { MongoMailClaimSchema, MongoMailSchema } from './mongo-mail-schema.js';
import {
  MongoPasskeyChallengeSchema,
  MongoPasskeyChallengeUseSchema,
  MongoPasskeySchema,
} from './mongo-passkey-schema.js';
import { MongoRefreshTokenSchema } from './mongo-refresh-token-schema.js';
import { MongoRefreshTokenSpendSchema } from './mongo-refresh-token-spend-schema.js';
import { MongoUserSchema } from './mongo-user-schema.js';
import { MongoVersionClaimSchema } from './mongo-version-claim-schema.js';

/** What this adapter needs to know about the database; the app's `Config['db']` satisfies it. */
export interface MongoSettings {
  /** `mongodb://` or `mongodb+srv://`; its path names the database, else `name` does. */
  mongoUrl?: string;
  name: string;
  pool: { min: number; max: number; idleMs: number; acquireTimeoutMs: number };
}

/**
 * MikroORM wraps driver errors in a DriverException that copies their fields but not their class
 * (its `name` is a getter on the class); keeping the original as `cause` lets mongo-errors.ts tell
 * "no server" (DB.UNAVAILABLE) from anything else without guessing from messages.
 */
export class CausePreservingMongoDriver extends MongoDriver {
  override convertException(exception: Error): DriverException {
    const converted = super.convertException(exception);
    return converted === exception ? converted : Object.assign(converted, { cause: exception });
  }
}

// scheme://[userinfo@]hosts[/database][?options]; userinfo and database are percent-encoded.
const URL_PARTS = /^(mongodb(?:\+srv)?:\/\/)(?:[^@/?]*@)?([^/?]*)(?:\/([^?]*))?/;

/** The database a URL names in its path, if any. */
export const databaseIn = (url: string): string | undefined => {
  const path = URL_PARTS.exec(url)?.[3];
  return path ? decodeURIComponent(path) : undefined;
};

/** Hosts only, for messages: a URL's userinfo holds the password. */
export const hostsOf = (url: string): string => URL_PARTS.exec(url)?.[2] || '(unparseable MONGO_URL)';

/**
 * Pool settings go to the MongoClient as its own options: DB_POOL_MAX -> maxPoolSize, DB_POOL_MIN
 * -> minPoolSize, DB_POOL_IDLE_MS -> maxIdleTimeMS, and DB_POOL_ACQUIRE_TIMEOUT_MS bounds both the
 * wait for a pooled connection (waitQueueTimeoutMS) and for a server to answer at all
 * (serverSelectionTimeoutMS, connectTimeoutMS; the driver's default is 30 s), so an operation on a
 * down server fails within it as DB.UNAVAILABLE instead of hanging.
 */
export function mongoOrmOptions(db: MongoSettings, opts: OrmOptions = {}): Options<MongoDriver> {
  if (!db.mongoUrl) throw new Error('MONGO_URL is required for DB_DRIVER=mongo');
  const { min, max, idleMs, acquireTimeoutMs } = db.pool;
  return defineConfig({
    driver: CausePreservingMongoDriver,
    clientUrl: db.mongoUrl,
    dbName: databaseIn(db.mongoUrl) ?? db.name,
    entities: [
      MongoUserSchema,
      MongoRefreshTokenSchema,
      MongoRefreshTokenSpendSchema,
      MongoFileSchema,
      MongoMailSchema,
      MongoMailClaimSchema,
      MongoAccountTokenSchema,
      MongoAccountTokenUseSchema,
      MongoVersionClaimSchema,
      MongoIdempotencyKeySchema,
      MongoIdempotencyTakeoverSchema,
      MongoPasskeySchema,
      MongoPasskeyChallengeSchema,
      MongoPasskeyChallengeUseSchema,
      MongoIdentitySchema,
    ],
    ...driverLogging(opts.log).mikro,
    debug: opts.debug ?? false,
    // openMongo connects and ensures the indexes itself, so that a failure closes what was opened.
    connect: false,
    ensureIndexes: false,
    driverOptions: {
      maxPoolSize: max,
      minPoolSize: min,
      maxIdleTimeMS: idleMs,
      waitQueueTimeoutMS: acquireTimeoutMs,
      serverSelectionTimeoutMS: acquireTimeoutMs,
      connectTimeoutMS: acquireTimeoutMs,
    },
  });
}
