import { MikroORM } from '@mikro-orm/core';
import type { MongoDriver } from '@mikro-orm/mongodb';
import { expect } from 'chai';
import { MongoClient, MongoServerSelectionError } from 'mongodb';
import sinon from 'sinon';
import {
  databaseIn,
  hostsOf,
  mongoOrmOptions,
} from '../../../../../src/adapters/persistence/mongo/mongo-orm-options.js';
import { ensureMongoIndexes, mongoHealthCheck } from '../../../../../src/adapters/persistence/mongo/open-mongo.js';
import { parseConfig } from '../../../../../src/infrastructure/config.js';
import { configErrorOf } from '../../../../support/config-error-of.js';
import { stubbedMongo } from '../../../../support/mongo.js';
import { rejectionOf } from '../../../../support/rejection.js';

const URL_WITH_SECRET = 'mongodb://portico:s3cret-pw@db1.internal:27017,db2.internal:27017/portico_qa?replicaSet=rs0';

/** The MongoClient exactly as MikroORM builds it from our options, with its network connect stubbed out. */
async function clientFor(env: Record<string, string>) {
  sinon.stub(MongoClient.prototype, 'connect').callsFake(async function (this: MongoClient) {
    return this;
  });
  const orm = await MikroORM.init<MongoDriver>(mongoOrmOptions(parseConfig({ DB_DRIVER: 'mongo', ...env }).db));
  const connection = orm.em.getDriver().getConnection();
  await connection.connect();
  return { client: connection.getClient(), database: connection.getDb().databaseName, close: () => orm.close(true) };
}

describe('MongoDB connection settings and boot-time work (interactions)', () => {
  afterEach(() => sinon.restore());

  it('hands the pool settings to the MongoClient: size, idle time, wait-queue and server-selection timeouts', async () => {
    const { client, database, close } = await clientFor({
      MONGO_URL: URL_WITH_SECRET,
      DB_POOL_MAX: '7',
      DB_POOL_MIN: '2',
      DB_POOL_IDLE_MS: '2000',
      DB_POOL_ACQUIRE_TIMEOUT_MS: '1500',
    });
    try {
      const {
        maxPoolSize,
        minPoolSize,
        maxIdleTimeMS,
        waitQueueTimeoutMS,
        serverSelectionTimeoutMS,
        connectTimeoutMS,
      } = client.options;
      expect({
        maxPoolSize,
        minPoolSize,
        maxIdleTimeMS,
        waitQueueTimeoutMS,
        serverSelectionTimeoutMS,
        connectTimeoutMS,
      }).to.deep.equal({
        maxPoolSize: 7,
        minPoolSize: 2,
        maxIdleTimeMS: 2000,
        waitQueueTimeoutMS: 1500,
        serverSelectionTimeoutMS: 1500,
        connectTimeoutMS: 1500,
      });
      expect(client.options.hosts.map(String)).to.deep.equal(['db1.internal:27017', 'db2.internal:27017']);
      expect(client.options.replicaSet).to.equal('rs0');
      expect(database).to.equal('portico_qa');
    } finally {
      await close();
    }
  });

  it('uses DB_NAME when the URL names no database', async () => {
    const { database, close } = await clientFor({ MONGO_URL: 'mongodb://127.0.0.1:27017', DB_NAME: 'portico_dev' });
    await close();
    expect(database).to.equal('portico_dev');
  });

  it('requires MONGO_URL with DB_DRIVER=mongo, and names the setting without ever showing the value', () => {
    const missing = configErrorOf({ DB_DRIVER: 'mongo' });
    expect(missing.problems).to.deep.equal(['MONGO_URL: required when DB_DRIVER=mongo']);
    const wrong = configErrorOf({ DB_DRIVER: 'mongo', MONGO_URL: 'postgres://portico:s3cret-pw@db/x' });
    expect(wrong.message).to.include('MONGO_URL').and.not.include('s3cret-pw');
  });

  it('reads the database from a URL and shows hosts without credentials', () => {
    expect(databaseIn(URL_WITH_SECRET)).to.equal('portico_qa');
    expect(databaseIn('mongodb+srv://cluster0.example.net/?retryWrites=true')).to.equal(undefined);
    expect(hostsOf(URL_WITH_SECRET)).to.equal('db1.internal:27017,db2.internal:27017');
  });

  it('creates at boot exactly the indexes the stores rely on, the unique email among them', async () => {
    const mongo = await stubbedMongo();
    try {
      await ensureMongoIndexes(mongo.orm);
      const listIndex = (name: string, ...fields: string[]) => [
        Object.fromEntries(fields.map((f) => [f, 1])),
        { name, unique: false },
      ];
      const usersIndexes = [
        // The list's sorts alone and after role or listStatus, each ending on _id; the purge's scan.
        listIndex('users_created_at_id', 'createdAt', '_id'),
        listIndex('users_name_key_id', 'nameKey', '_id'),
        listIndex('users_role_created_at_id', 'role', 'createdAt', '_id'),
        listIndex('users_role_email', 'role', 'email'),
        listIndex('users_role_name_key_id', 'role', 'nameKey', '_id'),
        listIndex('users_list_status_created_at_id', 'listStatus', 'createdAt', '_id'),
        listIndex('users_list_status_email', 'listStatus', 'email'),
        listIndex('users_list_status_name_key_id', 'listStatus', 'nameKey', '_id'),
        listIndex('users_deleted_at', 'deletedAt'),
        [{ email: 1 }, { name: 'users_email_unique', unique: true, sparse: false }],
      ];
      expect(mongo.users.createIndex.args).to.have.deep.members(usersIndexes);
      // A compound index's field order is what makes it serve a sort: compare it, not just the fields.
      const fieldsOf = (args: unknown[]) => [(args[1] as { name: string }).name, Object.keys(args[0] as object)];
      expect(mongo.users.createIndex.args.map(fieldsOf)).to.have.deep.members(usersIndexes.map(fieldsOf));
      expect(mongo.tokens.createIndex.args).to.have.deep.members([
        [{ familyId: 1 }, { name: 'refresh_tokens_family_id_index', unique: false, sparse: false }],
        [{ userId: 1 }, { name: 'refresh_tokens_user_id_index', unique: false, sparse: false }],
        [{ tokenDigest: 1 }, { name: 'refresh_tokens_token_digest_unique', unique: true, sparse: false }],
      ]);
      expect(mongo.spends.createIndex.args).to.deep.equal([
        [{ userId: 1 }, { name: 'refresh_token_spends_user_id_index', unique: false, sparse: false }],
      ]);
      expect(mongo.files.createIndex.args).to.deep.equal([
        [
          { ownerId: 1, _id: 1 },
          { name: 'files_owner_id_id_index', unique: false },
        ],
      ]);
      expect(mongo.mail.createIndex.args).to.deep.equal([
        [
          { status: 1, nextAttemptAt: 1 },
          { name: 'mail_outbox_status_next_attempt_at_index', unique: false },
        ],
      ]);
      expect(mongo.mailClaims.createIndex.args).to.deep.equal([
        [{ mailId: 1 }, { name: 'mail_claims_mail_id_index', unique: false, sparse: false }],
      ]);
      expect(mongo.accountTokens.createIndex.args).to.have.deep.members([
        [{ digest: 1 }, { name: 'account_tokens_digest_unique', unique: true, sparse: false }],
        [{ expiresAt: 1 }, { name: 'account_tokens_expires_at_index', unique: false, sparse: false }],
        [
          { userId: 1, purpose: 1 },
          { name: 'account_tokens_user_id_purpose_index', unique: false },
        ],
      ]);
      expect(mongo.accountTokenUses.createIndex.args).to.have.deep.members([
        [{ userId: 1 }, { name: 'account_token_uses_user_id_index', unique: false, sparse: false }],
        [{ expiresAt: 1 }, { name: 'account_token_uses_expires_at_index', unique: false, sparse: false }],
      ]);
      expect(mongo.idempotencyKeys.createIndex.args).to.deep.equal([
        [{ expiresAt: 1 }, { name: 'idempotency_keys_expires_at_index', unique: false, sparse: false }],
      ]);
      expect(mongo.idempotencyTakeovers.createIndex.args).to.deep.equal([
        [{ expiresAt: 1 }, { name: 'idempotency_takeovers_expires_at_index', unique: false, sparse: false }],
      ]);
      expect(mongo.passkeys.createIndex.args).to.deep.equal([
        [{ userId: 1 }, { name: 'passkeys_user_id_index', unique: false, sparse: false }],
      ]);
      expect(mongo.passkeyChallenges.createIndex.args).to.deep.equal([
        [{ expiresAt: 1 }, { name: 'passkey_challenges_expires_at_index', unique: false, sparse: false }],
      ]);
      expect(mongo.passkeyChallengeUses.createIndex.args).to.deep.equal([
        [{ expiresAt: 1 }, { name: 'passkey_challenge_uses_expires_at_index', unique: false, sparse: false }],
      ]);
      expect(mongo.identities.createIndex.args).to.have.deep.members([
        [
          { provider: 1, subject: 1 },
          { name: 'identities_provider_subject_unique', unique: true },
        ],
        [
          { userId: 1, provider: 1 },
          { name: 'identities_user_id_provider_unique', unique: true },
        ],
      ]);
    } finally {
      await mongo.close();
    }
  });

  it('at boot gives users written before the list fields existed their status, list status and name key, once', async () => {
    const mongo = await stubbedMongo();
    try {
      const updateOne = sinon.stub().resolves({ acknowledged: true, matchedCount: 1, modifiedCount: 1 });
      Object.assign(mongo.users, { updateOne });
      mongo.users.cursor.toArray.onFirstCall().resolves([
        { _id: 'u1', name: 'Ada Lovelace' },
        { _id: 'u2', name: 'ÉMILE' },
      ]);
      await ensureMongoIndexes(mongo.orm);
      const [first, second] = mongo.users.find.args;
      expect(first).to.deep.equal([{ nameKey: { $exists: false } }, { projection: { name: 1 }, limit: 500 }]);
      // Until no such document is left.
      expect(second?.[0]).to.deep.equal({ nameKey: { $exists: false } });
      sinon.assert.calledTwice(mongo.users.find);
      const set = (nameKey: string) => ({
        $set: { nameKey, status: 'active', listStatus: 'active', deletedAt: null },
      });
      // Each write re-checks the field is missing, so a user written meanwhile is left as it is.
      expect(updateOne.args).to.deep.equal([
        [{ _id: 'u1', nameKey: { $exists: false } }, set('ada lovelace')],
        [{ _id: 'u2', nameKey: { $exists: false } }, set('émile')],
      ]);
    } finally {
      await mongo.close();
    }
  });

  it('answers readiness with one ping, and DB.UNAVAILABLE when the ping cannot reach a server', async () => {
    const mongo = await stubbedMongo();
    try {
      const check = mongoHealthCheck(mongo.orm);
      expect(check.name).to.equal('database');
      await check.check();
      sinon.assert.calledOnceWithExactly(mongo.command, { ping: 1 });
      mongo.command.rejects(
        new MongoServerSelectionError('Server selection timed out after 5000 ms', { type: 'Unknown' } as never),
      );
      expect((await rejectionOf(check.check())).code).to.equal('DB.UNAVAILABLE');
    } finally {
      await mongo.close();
    }
  });
});
