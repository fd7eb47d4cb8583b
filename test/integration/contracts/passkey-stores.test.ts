import { expect } from 'chai';
import { v7 } from 'uuid';
import { InMemoryPasskeyChallengeStore } from '../../../src/adapters/persistence/in-memory/in-memory-passkey-challenge-store.js';
import { InMemoryPasskeyStore } from '../../../src/adapters/persistence/in-memory/in-memory-passkey-store.js';
import { MikroOrmPasskeyChallengeStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-passkey-challenge-store.js';
import { MikroOrmPasskeyStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-passkey-store.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { aUserIn } from '../../support/builders.js';
import { aPasskey, aPasskeyChallenge } from '../../support/passkey-builders.js';
import { emptyTables, forEachSqlDialect } from '../../support/sql.js';
import { passkeyChallengeStoreContract } from './passkey-challenge-store.contract.js';
import { passkeyStoreContract } from './passkey-store.contract.js';

const noCleanup = async () => {};
passkeyStoreContract('in memory', async () => ({
  store: new InMemoryPasskeyStore(),
  newUserId: async () => v7(),
  cleanup: noCleanup,
}));
passkeyChallengeStoreContract('in memory', async () => ({
  store: new InMemoryPasskeyChallengeStore(),
  newUserId: async () => v7(),
  cleanup: noCleanup,
}));

forEachSqlDialect((dialect, orm) => {
  const cleanup = () => emptyTables(orm(), 'passkey_challenges', 'passkeys', 'users');
  const newUserId = async () => (await aUserIn(new MikroOrmUserStore(orm()))).id;
  passkeyStoreContract(dialect, async () => ({ store: new MikroOrmPasskeyStore(orm()), newUserId, cleanup }));
  passkeyChallengeStoreContract(dialect, async () => ({
    store: new MikroOrmPasskeyChallengeStore(orm()),
    newUserId,
    cleanup,
  }));

  describe(`passkeys of a user deleted for good on ${dialect}`, () => {
    afterEach(cleanup);

    it('go with the user, their pending challenges too (ON DELETE CASCADE)', async () => {
      const users = new MikroOrmUserStore(orm());
      const [passkeys, challenges] = [new MikroOrmPasskeyStore(orm()), new MikroOrmPasskeyChallengeStore(orm())];
      const [gone, kept] = [await aUserIn(users), await aUserIn(users)];
      const [theirs, others] = [aPasskey(gone.id), aPasskey(kept.id)];
      for (const p of [theirs, others]) await passkeys.insert(p);
      const challenge = aPasskeyChallenge(gone.id);
      await challenges.insert(challenge);
      await users.delete(gone.id);
      expect(await passkeys.findById(theirs.id)).to.equal(null);
      expect(await passkeys.findById(others.id)).to.deep.equal(others);
      expect(await challenges.consume(challenge.id)).to.equal(null);
    });
  });
});
