import { expect } from 'chai';
import { v7 } from 'uuid';
import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import { MongoUserSchema } from '../../../src/adapters/persistence/mongo/mongo-user-schema.js';
import { ensureMongoIndexes } from '../../../src/adapters/persistence/mongo/open-mongo.js';
import { MongoVersionClaimSchema } from '../../../src/adapters/persistence/mongo/mongo-version-claim-schema.js';
import type { UserStore } from '../../../src/domain/ports/user-store.js';
import { aUser } from '../../support/builders.js';
import { commandsSentDuring, emptyCollections, useTestMongo } from '../../support/mongo.js';
import { rejectionOf } from '../../support/rejection.js';
import { userStoreContract } from './user-store.contract.js';

/** The unchanged UserStore contract on a real MongoDB (MONGO_URL), in a database of its own. */
describe('MongoDB (MONGO_URL)', function () {
  const ormOf = useTestMongo({ monitorCommands: true });
  const cleanup = () => emptyCollections(ormOf(), MongoUserSchema, MongoVersionClaimSchema);

  userStoreContract('MongoDB', async () => ({ store: new MongoUserStore(ormOf()), cleanup }));

  describe('duplicate keys on MongoDB', () => {
    afterEach(cleanup);

    // FerretDB names no index in an insert's duplicate key; the store tells `_id` from email itself.
    it('does not call a second user with a taken id an email clash, and keeps the first', async () => {
      const store = new MongoUserStore(ormOf());
      const first = aUser();
      await store.create(first);
      const error = await rejectionOf(store.create(aUser({ id: first.id })));
      expect([error.code, error.name]).to.deep.equal([11000, 'UniqueConstraintViolationException']);
      expect(await store.findById(first.id)).to.deep.equal(first);
    });

    it('does not call a batch holding a taken id an email clash, and removes the part it stored', async () => {
      const store = new MongoUserStore(ormOf());
      const first = aUser();
      await store.create(first);
      const error = await rejectionOf(store.createMany([aUser(), aUser(), aUser({ id: first.id }), aUser()]));
      expect([error.code, error.name]).to.deep.equal([11000, 'UniqueConstraintViolationException']);
      expect((await store.list({ limit: 10 })).items).to.deep.equal([first]);
    });
  });

  describe('users stored before status and the list fields existed', () => {
    afterEach(cleanup);

    it('get them at boot (active, not deleted, the name key), so they list, filter and search', async () => {
      const legacy = aUser({ name: 'Ödön LEGACY' });
      const { status: _s, deletedAt: _d, version: _v, id, ...fields } = legacy;
      await ormOf()
        .em.getDriver()
        .getConnection()
        .getCollection('users')
        .insertOne({ _id: id, ...fields } as never);
      await ensureMongoIndexes(ormOf());
      const store = new MongoUserStore(ormOf());
      expect(await store.findById(id)).to.deep.equal(legacy);
      expect((await store.list({ limit: 5, status: 'active', q: 'ödön l', sort: 'name' })).items).to.deep.equal([
        legacy,
      ]);
    });
  });

  describe('version claims on MongoDB', () => {
    afterEach(cleanup);
    const claims = (userId: string) =>
      ormOf()
        .em.fork()
        .find(MongoVersionClaimSchema, { record: { $re: `:${userId}$` } }, { disableIdentityMap: true });
    const claimOf = (userId: string, version: number) => ({
      _id: `users:${userId}:${version}`,
      record: `users:${userId}`,
    });

    it('keeps one claim per user however often it is written', async () => {
      const store = new MongoUserStore(ormOf());
      const user = aUser();
      await store.create(user);
      for (const name of ['a', 'b', 'c']) await store.update(Object.assign(user, { name }));
      expect((await claims(user.id)).map((c) => c._id)).to.deep.equal([`users:${user.id}:4`]);
    });

    it('frees a user whose next version a dead writer claimed, once the claim is 30 s old', async () => {
      const store = new MongoUserStore(ormOf());
      const user = aUser();
      await store.create(user);
      // A writer claimed version 2 and died before writing it.
      await ormOf()
        .em.fork()
        .insert(MongoVersionClaimSchema, { ...claimOf(user.id, 2), claimedAt: new Date() });
      expect((await rejectionOf(store.update(Object.assign(user, { name: 'now' }), 1))).code).to.equal(
        'PRECONDITION.FAILED',
      );
      await ormOf()
        .em.fork()
        .nativeUpdate(
          MongoVersionClaimSchema,
          { _id: `users:${user.id}:2` },
          { claimedAt: new Date(Date.now() - 60_000) },
        );
      await store.update(Object.assign(user, { name: 'later' }), 1);
      expect(await store.findById(user.id)).to.include({ name: 'later', version: 2 });
    });
  });

  describe('operator injection on MongoDB (defence in depth behind the HTTP validation)', () => {
    const attempts: Array<[string, (s: UserStore) => Promise<unknown>]> = [
      ['findByEmail({ $ne: null })', (s) => s.findByEmail({ $ne: null } as never)],
      ['findByEmail({ $where: ... })', (s) => s.findByEmail({ $where: 'sleep(5000) || true' } as never)],
      ['findById({ $ne: null })', (s) => s.findById({ $ne: null } as never)],
      ['findById([id])', (s) => s.findById([v7()] as never)],
      ['list({ email: { $ne: null } })', (s) => s.list({ limit: 10, email: { $ne: null } as never })],
      ['list({ email: { $regex: ".*" } })', (s) => s.list({ limit: 10, email: { $regex: '.*' } as never })],
      ['list({ after: { $gt: "" } })', (s) => s.list({ limit: 10, after: { $gt: '' } as never })],
      ['list({ limit: { $gt: 0 } })', (s) => s.list({ limit: { $gt: 0 } as never })],
      ['delete({ $ne: null })', (s) => s.delete({ $ne: null } as never)],
      ['create with email { $gt: "" }', (s) => s.create(aUser({ email: { $gt: '' } as never }))],
      ['create with a $inc key in the profile', (s) => s.create(aUser({ profile: { $inc: 1 } as never }))],
      [
        'create with a $where key deep in the profile',
        (s) => s.create(aUser({ profile: { a: { $where: 'x' } } as never })),
      ],
      ['update with email { $ne: null }', (s) => s.update(aUser({ email: { $ne: null } as never }))],
      ['update with id { $ne: null }', (s) => s.update(aUser({ id: { $ne: null } as never }))],
    ];
    afterEach(cleanup);
    for (const [name, attempt] of attempts) {
      it(`refuses ${name} as REQUEST.INVALID, sending nothing: it matches no stored user`, async () => {
        const store = new MongoUserStore(ormOf());
        const stored = aUser();
        await store.create(stored);
        const { result: error, sent } = await commandsSentDuring(ormOf(), () => rejectionOf(attempt(store)));
        expect(error.code).to.equal('REQUEST.INVALID');
        expect(sent).to.deep.equal([]);
        expect((await store.list({ limit: 10 })).items).to.deep.equal([stored]);
      });
    }
  });
});
