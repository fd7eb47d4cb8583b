import { expect } from 'chai';
import { v7 } from 'uuid';
import type { ActiveUsers } from '../../../src/domain/ports/active-users.js';
import type { RefreshTokenStore } from '../../../src/domain/ports/refresh-token-store.js';
import type { UserStore } from '../../../src/domain/ports/user-store.js';
import { aRefreshToken, at, aUser } from '../../support/builders.js';

export interface ActiveUsersFixture {
  lookup: ActiveUsers;
  users: UserStore;
  sessions: RefreshTokenStore;
  cleanup(): Promise<void>;
}

/** The same assertions for every ActiveUsers adapter. */
export function activeUsersContract(name: string, make: () => Promise<ActiveUsersFixture>) {
  describe(`ActiveUsers contract: ${name}`, () => {
    let fx: ActiveUsersFixture;
    beforeEach(async () => (fx = await make()));
    afterEach(async () => fx.cleanup());

    async function aSession() {
      const user = aUser({ profile: { theme: 'dark', tags: ['a'] } });
      await fx.users.create(user);
      const token = aRefreshToken(user.id);
      await fx.sessions.insert(token);
      return { user, sessionId: token.familyId };
    }

    it('finds the user, every field intact, while the session is active', async () => {
      const { user, sessionId } = await aSession();
      expect(await fx.lookup.find(user.id, sessionId)).to.deep.equal(user);
    });

    it('finds the user for a token without a session', async () => {
      const { user } = await aSession();
      expect(await fx.lookup.find(user.id)).to.deep.equal(user);
    });

    it('finds nobody once the session is revoked, even though the user is still there', async () => {
      const { user, sessionId } = await aSession();
      await fx.sessions.revokeFamily(sessionId, at(10));
      expect(await fx.lookup.find(user.id, sessionId)).to.equal(null);
      expect(await fx.users.findById(user.id)).to.not.equal(null);
    });

    it('finds nobody for a deleted user, an unknown id or an id that is not a UUID', async () => {
      const { user, sessionId } = await aSession();
      await fx.users.delete(user.id);
      expect(await fx.lookup.find(user.id, sessionId)).to.equal(null);
      expect(await fx.lookup.find(v7(), v7())).to.equal(null);
      expect(await fx.lookup.find('not-a-uuid')).to.equal(null);
    });

    it('sees a change made a moment ago (nothing is cached)', async () => {
      const { user, sessionId } = await aSession();
      await fx.lookup.find(user.id, sessionId);
      await fx.users.update(Object.assign(user, { role: 'admin' as const }));
      expect((await fx.lookup.find(user.id, sessionId))?.role).to.equal('admin');
    });
  });
}
