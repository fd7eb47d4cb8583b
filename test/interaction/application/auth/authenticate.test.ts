import { expect } from 'chai';
import sinon from 'sinon';
import { activeUsersFromStores } from '../../../../src/application/auth/active-users-from-stores.js';
import { Authenticate } from '../../../../src/application/auth/authenticate.js';
import { GetUser } from '../../../../src/application/users/get-user.js';
import type { ActiveUsers } from '../../../../src/domain/ports/active-users.js';
import type { RefreshTokenStore } from '../../../../src/domain/ports/refresh-token-store.js';
import { User } from '../../../../src/domain/user/user.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubTokens, stubUserStore } from '../../../support/stubs.js';

const now = new Date();
const bob = () => new User('bob', 'bob@example.com', 'Bob', 'user', {}, 'hash', now, now);
const stubActiveUsers = () =>
  ({
    find: sinon.stub<Parameters<ActiveUsers['find']>, ReturnType<ActiveUsers['find']>>().resolves(null),
  }) satisfies ActiveUsers;
const stubSessions = () => ({
  isFamilyActive: sinon
    .stub<Parameters<RefreshTokenStore['isFamilyActive']>, ReturnType<RefreshTokenStore['isFamilyActive']>>()
    .resolves(true),
});

describe('authentication per request (interactions)', () => {
  afterEach(() => sinon.restore());

  it('Authenticate asks once for the user behind the token, with its session, and keeps the record on the actor', async () => {
    const tokens = stubTokens();
    tokens.verifyAccessToken.resolves({ sub: 'bob', role: 'user', jti: 'j', sid: 'family-1' });
    const users = stubActiveUsers();
    users.find.resolves(bob());
    const actor = await new Authenticate(tokens, users).execute('token');
    sinon.assert.calledOnceWithExactly(users.find, 'bob', 'family-1');
    expect(actor).to.deep.equal({ id: 'bob', role: 'user', self: bob() });
  });

  it('Authenticate refuses a valid token whose user or session is gone', async () => {
    const tokens = stubTokens();
    tokens.verifyAccessToken.resolves({ sub: 'bob', role: 'user', jti: 'j', sid: 'family-1' });
    expect((await rejectionOf(new Authenticate(tokens, stubActiveUsers()).execute('token'))).code).to.equal(
      'AUTH.UNAUTHENTICATED',
    );
  });

  it('Authenticate refuses a valid token whose user is disabled or soft-deleted, even with its session active', async () => {
    const tokens = stubTokens();
    tokens.verifyAccessToken.resolves({ sub: 'bob', role: 'user', jti: 'j', sid: 'family-1' });
    for (const user of [Object.assign(bob(), { status: 'disabled' }), Object.assign(bob(), { deletedAt: now })]) {
      const users = stubActiveUsers();
      users.find.resolves(user);
      const error = await rejectionOf(new Authenticate(tokens, users).execute('token'));
      expect(error.code, JSON.stringify(user)).to.equal('AUTH.UNAUTHENTICATED');
    }
  });

  it("GetUser answers the caller's own record from authentication without reading it again", async () => {
    const users = stubUserStore();
    const self = bob();
    expect(await new GetUser(users).execute({ actor: { id: 'bob', role: 'user', self }, id: 'bob' })).to.equal(self);
    sinon.assert.notCalled(users.findById);
  });

  it('GetUser still reads any other user an admin asks for, soft-deleted ones included', async () => {
    const users = stubUserStore();
    users.findById.resolves(bob());
    await new GetUser(users).execute({
      actor: { id: 'root', role: 'admin', self: new User('root', 'r@example.com', 'Root', 'admin', {}, 'h', now, now) },
      id: 'bob',
    });
    sinon.assert.calledOnceWithExactly(users.findById, 'bob', { withDeleted: true });
  });

  it('activeUsersFromStores checks the session first and reads no user for an ended one', async () => {
    const users = stubUserStore();
    const sessions = stubSessions();
    sessions.isFamilyActive.resolves(false);
    expect(await activeUsersFromStores(users, sessions).find('bob', 'family-1')).to.equal(null);
    sinon.assert.calledOnceWithExactly(sessions.isFamilyActive, 'family-1');
    sinon.assert.notCalled(users.findById);
  });
});
