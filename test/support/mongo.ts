import { randomBytes } from 'node:crypto';
import { MikroORM, type EntityName } from '@mikro-orm/core';
import type { MongoDriver } from '@mikro-orm/mongodb';
import type { CommandStartedEvent } from 'mongodb';
import { expect } from 'chai';
import sinon from 'sinon';
import { v7 } from 'uuid';
import { mongoOrmOptions, type MongoSettings } from '../../src/adapters/persistence/mongo/mongo-orm-options.js';
import { ensureMongoIndexes, openMongo } from '../../src/adapters/persistence/mongo/open-mongo.js';
import { parseConfig } from '../../src/infrastructure/config.js';
import type { Backend } from './backends.js';
import { requireService } from './services.js';
import { useOrm } from './use-orm.js';

const POOL = { min: 0, max: 10, idleMs: 30_000, acquireTimeoutMs: 5_000 };

/** A stand-in for one driver collection: every call the ORM makes lands on a sinon stub. */
export function fakeCollection(collectionName: string) {
  const cursor = {
    sort: sinon.stub().returnsThis(),
    limit: sinon.stub().returnsThis(),
    skip: sinon.stub().returnsThis(),
    toArray: sinon.stub().resolves([]),
  };
  return {
    collectionName,
    cursor,
    find: sinon.stub().returns(cursor),
    insertOne: sinon.stub().resolves({ acknowledged: true, insertedId: 'stub' }),
    updateMany: sinon.stub().resolves({ acknowledged: true, matchedCount: 0, modifiedCount: 0 }),
    deleteMany: sinon.stub().resolves({ acknowledged: true, deletedCount: 0 }),
    countDocuments: sinon.stub().resolves(0),
    createIndex: sinon
      .stub()
      .callsFake(async (_spec: object, options?: { name?: string }) => options?.name ?? 'unnamed'),
  };
}
export type FakeCollection = ReturnType<typeof fakeCollection>;

/**
 * The real MikroORM and schemas over stubbed collections, never connected: what the stores send
 * is seen exactly as the MongoDB driver would receive it, without a server.
 */
export async function stubbedMongo(settings: Partial<MongoSettings> = {}) {
  const orm = await MikroORM.init<MongoDriver>(
    mongoOrmOptions({
      mongoUrl: 'mongodb://stub.invalid:27017/portico_stub',
      name: 'portico',
      pool: POOL,
      ...settings,
    }),
  );
  const connection = orm.em.getDriver().getConnection();
  const collections: Record<string, FakeCollection> = {
    users: fakeCollection('users'),
    refresh_tokens: fakeCollection('refresh_tokens'),
    refresh_token_spends: fakeCollection('refresh_token_spends'),
    files: fakeCollection('files'),
    mail_outbox: fakeCollection('mail_outbox'),
    mail_claims: fakeCollection('mail_claims'),
    account_tokens: fakeCollection('account_tokens'),
    account_token_uses: fakeCollection('account_token_uses'),
    version_claims: fakeCollection('version_claims'),
    idempotency_keys: fakeCollection('idempotency_keys'),
    idempotency_takeovers: fakeCollection('idempotency_takeovers'),
    passkeys: fakeCollection('passkeys'),
    passkey_challenges: fakeCollection('passkey_challenges'),
    passkey_challenge_uses: fakeCollection('passkey_challenge_uses'),
    identities: fakeCollection('identities'),
  };
  const command = sinon.stub().resolves({ ok: 1 });
  sinon.stub(connection, 'ensureConnection').resolves();
  sinon.stub(connection, 'listCollections').resolves(Object.keys(collections));
  sinon.stub(connection, 'getDb').returns({ command } as never);
  // The ORM asks by entity name (index creation) or by collection name (queries).
  const byName: Record<string, FakeCollection | undefined> = {
    ...collections,
    UserDocument: collections.users,
    RefreshTokenDocument: collections.refresh_tokens,
    RefreshTokenSpendDocument: collections.refresh_token_spends,
    FileDocument: collections.files,
    MailDocument: collections.mail_outbox,
    MailClaimDocument: collections.mail_claims,
    AccountTokenDocument: collections.account_tokens,
    AccountTokenUseDocument: collections.account_token_uses,
    VersionClaimDocument: collections.version_claims,
    IdempotencyKeyDocument: collections.idempotency_keys,
    IdempotencyTakeoverDocument: collections.idempotency_takeovers,
    PasskeyDocument: collections.passkeys,
    PasskeyChallengeDocument: collections.passkey_challenges,
    PasskeyChallengeUseDocument: collections.passkey_challenge_uses,
    IdentityDocument: collections.identities,
  };
  sinon.stub(connection, 'getCollection').callsFake(((name: string) => {
    const collection = byName[name];
    if (!collection) throw new Error(`no stubbed collection for ${name}`);
    return collection;
  }) as never);
  return {
    orm,
    users: collections.users!,
    tokens: collections.refresh_tokens!,
    spends: collections.refresh_token_spends!,
    files: collections.files!,
    mail: collections.mail_outbox!,
    mailClaims: collections.mail_claims!,
    accountTokens: collections.account_tokens!,
    accountTokenUses: collections.account_token_uses!,
    versionClaims: collections.version_claims!,
    idempotencyKeys: collections.idempotency_keys!,
    idempotencyTakeovers: collections.idempotency_takeovers!,
    passkeys: collections.passkeys!,
    passkeyChallenges: collections.passkey_challenges!,
    passkeyChallengeUses: collections.passkey_challenge_uses!,
    identities: collections.identities!,
    command,
    close: () => orm.close(true),
  };
}

export type StubbedMongo = Awaited<ReturnType<typeof stubbedMongo>>;

/**
 * For a describe block of interaction tests: a fresh stubbedMongo before each test, closed after it with
 * every sinon stub restored. The object returned is the current one, valid in tests and later hooks.
 */
export function useStubbedMongo(): StubbedMongo {
  const mongo = {} as StubbedMongo;
  beforeEach(async () => Object.assign(mongo, await stubbedMongo()));
  afterEach(async () => {
    await mongo.close();
    sinon.restore();
  });
  return mongo;
}

/** The one find a store pages with: `filter`, sorted by `_id`, one more than `limit` asked for to see what follows. */
export function expectPageQuery(collection: FakeCollection, filter: object, limit: number): void {
  sinon.assert.calledOnceWithExactly(collection.find, filter, {});
  sinon.assert.calledOnceWithExactly(collection.cursor.sort, [['_id', 1]]);
  sinon.assert.calledOnceWithExactly(collection.cursor.limit, limit + 1);
}

/** `remove` deletes by `_id` from `collection` and answers whether a document went. */
export async function expectDeletesById(
  collection: FakeCollection,
  remove: (id: string) => Promise<boolean>,
): Promise<void> {
  const id = v7();
  collection.deleteMany.resolves({ deletedCount: 1 });
  expect(await remove(id)).to.equal(true);
  collection.deleteMany.resolves({ deletedCount: 0 });
  expect(await remove(id)).to.equal(false);
  expect(collection.deleteMany.args).to.deep.equal([
    [{ _id: id }, {}],
    [{ _id: id }, {}],
  ]);
}

/** Every stub of a collection that talks to the server, to assert that none was called. */
export const serverCalls = (c: FakeCollection) => [c.find, c.insertOne, c.updateMany, c.deleteMany, c.countDocuments];

// scheme://[userinfo@]hosts[/database][?options]
const URL_PARTS = /^(mongodb(?:\+srv)?:\/\/)([^@/?]*@)?([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/;

/**
 * The same server, another database. The path of a URL with credentials also names the database
 * to authenticate against (default `admin`), so that is kept as `authSource` unless already given.
 */
export function withDatabase(url: string, name: string): string {
  const m = URL_PARTS.exec(url);
  if (!m) throw new Error('MONGO_URL is not a mongodb:// or mongodb+srv:// URL');
  const [, scheme, userinfo = '', hosts, path, query] = m;
  const params = new URLSearchParams(query ?? '');
  if (userinfo && !params.has('authSource')) params.set('authSource', path ? decodeURIComponent(path) : 'admin');
  const search = params.toString();
  return `${scheme}${userinfo}${hosts}/${name}${search ? `?${search}` : ''}`;
}

/**
 * Mongo-backed suites call this in `before`: the MongoDB wire-protocol server `npm run services`
 * starts (FerretDB), or any MONGO_URL. Under CI a missing one fails the suite; elsewhere it is skipped.
 */
export function requireMongo(ctx: Mocha.Context): string {
  return requireService(ctx, 'MONGO_URL', 'a MongoDB wire-protocol server (FerretDB)');
}

export interface TestMongoDatabase {
  url: string;
  db: MongoSettings;
  drop(): Promise<void>;
}

/** A fresh database of its own on the MONGO_URL server, so suites never see each other's documents. */
export function createTestMongoDatabase(serverUrl: string): TestMongoDatabase {
  const url = withDatabase(serverUrl, `portico_test_${randomBytes(6).toString('hex')}`);
  const { db } = parseConfig({
    DB_DRIVER: 'mongo',
    MONGO_URL: url,
    DB_POOL_MAX: '10',
    DB_POOL_ACQUIRE_TIMEOUT_MS: '5000',
  });
  const drop = async () => {
    const orm = await MikroORM.init<MongoDriver>(mongoOrmOptions(db));
    try {
      const connection = orm.em.getDriver().getConnection();
      await connection.ensureConnection();
      await connection.getDb().dropDatabase();
    } finally {
      await orm.close(true);
    }
  };
  return { url, db, drop };
}

/** The app's ORM with the driver's command monitoring on, indexes ensured as at boot. */
async function openMonitoredMongo(db: MongoSettings): Promise<MikroORM<MongoDriver>> {
  const options = mongoOrmOptions(db);
  const orm = await MikroORM.init<MongoDriver>({
    ...options,
    driverOptions: { ...options.driverOptions, monitorCommands: true },
  });
  await ensureMongoIndexes(orm);
  return orm;
}

/**
 * For a describe block on a real MongoDB (see requireMongo): opens the app's ORM on a database of
 * its own before the block (collections and indexes ensured, as at boot) and drops it after.
 * Returns the ORM's getter, valid inside the block's tests and hooks. With `monitorCommands`, the
 * driver reports every command it sends, for `commandsSentDuring`.
 */
export function useTestMongo(options: { monitorCommands?: boolean } = {}): () => MikroORM<MongoDriver> {
  return useOrm(
    (ctx) => createTestMongoDatabase(requireMongo(ctx)),
    (database) => (options.monitorCommands ? openMonitoredMongo(database.db) : openMongo(database.db)),
  );
}

/**
 * What `work` gave, and every command (name and collection) the ORM's client sent to the server
 * while it ran. Needs an ORM from useTestMongo({ monitorCommands: true }).
 */
export async function commandsSentDuring<T>(
  orm: MikroORM<MongoDriver>,
  work: () => Promise<T>,
): Promise<{ result: T; sent: string[] }> {
  const client = orm.em.getDriver().getConnection().getClient();
  if (!client.options.monitorCommands)
    throw new Error('commandsSentDuring: open the ORM with useTestMongo({ monitorCommands: true })');
  const sent: string[] = [];
  const record = (event: CommandStartedEvent) =>
    sent.push(`${event.commandName} ${String(event.command[event.commandName])}`);
  client.on('commandStarted', record);
  try {
    return { result: await work(), sent };
  } finally {
    client.off('commandStarted', record);
  }
}

/** Deletes every document of the collections these schemas map, in that order (referencing ones first). */
export async function emptyCollections<T extends object[]>(
  orm: MikroORM<MongoDriver>,
  ...schemas: { [K in keyof T]: EntityName<T[K]> }
): Promise<void> {
  const em = orm.em.fork();
  for (const schema of schemas) await em.nativeDelete(schema, {});
}

/** The whole app on MongoDB, for the suites that run over HTTP on every backend. */
export const MONGO_BACKEND: Backend = {
  name: 'MongoDB',
  prepare: async (ctx) => {
    const database = createTestMongoDatabase(requireMongo(ctx));
    return { env: { DB_DRIVER: 'mongo', MONGO_URL: database.url }, dispose: database.drop };
  },
};
