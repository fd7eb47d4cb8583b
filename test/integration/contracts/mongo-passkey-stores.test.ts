import { expect } from 'chai';
import {
  MongoPasskeyChallengeSchema,
  MongoPasskeyChallengeUseSchema,
  MongoPasskeySchema,
} from '../../../src/adapters/persistence/mongo/mongo-passkey-schema.js';
import { MongoPasskeyChallengeStore } from '../../../src/adapters/persistence/mongo/mongo-passkey-challenge-store.js';
import { MongoPasskeyStore } from '../../../src/adapters/persistence/mongo/mongo-passkey-store.js';
import { MongoUserSchema } from '../../../src/adapters/persistence/mongo/mongo-user-schema.js';
import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import type { PasskeyStore } from '../../../src/domain/ports/passkey-store.js';
import { aUserIn } from '../../support/builders.js';
import { commandsSentDuring, emptyCollections, useTestMongo } from '../../support/mongo.js';
import { aPasskey } from '../../support/passkey-builders.js';
import { rejectionOf } from '../../support/rejection.js';
import { passkeyChallengeStoreContract } from './passkey-challenge-store.contract.js';
import { passkeyStoreContract } from './passkey-store.contract.js';

/** The unchanged passkey contracts on a real MongoDB (MONGO_URL; FerretDB in development), in a database of its own. */
describe('MongoDB (MONGO_URL): passkeys', function () {
  const ormOf = useTestMongo({ monitorCommands: true });
  const cleanup = () =>
    emptyCollections(
      ormOf(),
      MongoPasskeyChallengeUseSchema,
      MongoPasskeyChallengeSchema,
      MongoPasskeySchema,
      MongoUserSchema,
    );
  const newUserId = async () => (await aUserIn(new MongoUserStore(ormOf()))).id;

  passkeyStoreContract('MongoDB', async () => ({ store: new MongoPasskeyStore(ormOf()), newUserId, cleanup }));
  passkeyChallengeStoreContract('MongoDB', async () => ({
    store: new MongoPasskeyChallengeStore(ormOf()),
    newUserId,
    cleanup,
  }));

  describe('operator injection on MongoDB (defence in depth)', () => {
    const attempts: Array<[string, (s: PasskeyStore) => Promise<unknown>]> = [
      ['findById({ $ne: null })', (s) => s.findById({ $ne: null } as never)],
      ['listByUser({ $ne: null })', (s) => s.listByUser({ $ne: null } as never)],
      ['countByUser({ $ne: null })', (s) => s.countByUser({ $ne: null } as never)],
      ['delete(id, { $ne: null })', (s) => s.delete('eA', { $ne: null } as never)],
      [
        'recordUse with a counter { $gt: 0 }',
        (s) =>
          s.recordUse('eA', { previousCounter: { $gt: 0 } as never, counter: 1, usedAt: new Date(), backedUp: false }),
      ],
    ];
    afterEach(cleanup);
    for (const [name, attempt] of attempts) {
      it(`refuses ${name} as REQUEST.INVALID, sending nothing`, async () => {
        const store = new MongoPasskeyStore(ormOf());
        const stored = aPasskey(await newUserId());
        await store.insert(stored);
        const { result: error, sent } = await commandsSentDuring(ormOf(), () => rejectionOf(attempt(store)));
        expect(error.code).to.equal('REQUEST.INVALID');
        expect(sent).to.deep.equal([]);
        expect(await store.findById(stored.id)).to.deep.equal(stored);
      });
    }
  });
});
