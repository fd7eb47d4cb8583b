import { expect } from 'chai';
import { aCore, registration } from '../../../support/core.js';
import { rejectionOf } from '../../../support/rejection.js';

async function loggedIn() {
  const core = await aCore();
  const user = await core.register.execute(registration(1));
  const session = await core.login.execute({
    email: 'user1@example.com',
    password: 'correct horse battery',
    client: 'c1',
  });
  return { core, user, session };
}

describe('refresh-token sessions', () => {
  it('login returns an opaque refresh token that is not a JWT', async () => {
    const { session } = await loggedIn();
    expect(session.refreshToken).to.match(/^rt_[A-Za-z0-9_-]{43}$/);
  });

  it('refresh spends the old token and returns a new pair in the same family', async () => {
    const { core, user, session } = await loggedIn();
    const next = await core.refresh.execute({ refreshToken: session.refreshToken });
    expect(next.refreshToken).to.not.equal(session.refreshToken);
    const claims = await core.tokens.verifyAccessToken(next.access.token);
    const first = await core.tokens.verifyAccessToken(session.access.token);
    expect(claims.sub).to.equal(user.id);
    expect(claims.sid).to.equal(first.sid);
  });

  it('a second refresh with the same token inside the grace window gets the same new token', async () => {
    const { core, session } = await loggedIn();
    const a = await core.refresh.execute({ refreshToken: session.refreshToken });
    core.clock.advance(5_000);
    const b = await core.refresh.execute({ refreshToken: session.refreshToken });
    expect(b.refreshToken).to.equal(a.refreshToken);
    expect((await core.refresh.execute({ refreshToken: b.refreshToken })).refreshToken).to.be.a('string');
  });

  it('reuse of a spent token after the grace window revokes the whole family', async () => {
    const { core, session } = await loggedIn();
    const next = await core.refresh.execute({ refreshToken: session.refreshToken });
    core.clock.advance(11_000);
    expect((await rejectionOf(core.refresh.execute({ refreshToken: session.refreshToken }))).code).to.equal(
      'AUTH.INVALID_REFRESH_TOKEN',
    );
    expect((await rejectionOf(core.refresh.execute({ refreshToken: next.refreshToken }))).code).to.equal(
      'AUTH.INVALID_REFRESH_TOKEN',
    );
    expect((await rejectionOf(core.authenticate.execute(next.access.token))).code).to.equal('AUTH.UNAUTHENTICATED');
  });

  it('refuses an expired refresh token and an unknown one', async () => {
    const { core, session } = await loggedIn();
    expect((await rejectionOf(core.refresh.execute({ refreshToken: 'rt_nope' }))).code).to.equal(
      'AUTH.INVALID_REFRESH_TOKEN',
    );
    core.clock.advance(3_601_000);
    expect((await rejectionOf(core.refresh.execute({ refreshToken: session.refreshToken }))).code).to.equal(
      'AUTH.INVALID_REFRESH_TOKEN',
    );
  });

  it('refuses an access token presented as a refresh token', async () => {
    const { core, session } = await loggedIn();
    expect((await rejectionOf(core.refresh.execute({ refreshToken: session.access.token }))).code).to.equal(
      'AUTH.INVALID_REFRESH_TOKEN',
    );
    expect((await rejectionOf(core.authenticate.execute(session.refreshToken))).code).to.equal('AUTH.UNAUTHENTICATED');
  });

  it('logout revokes the family: the refresh token and the access token stop working', async () => {
    const { core, session } = await loggedIn();
    await core.logout.execute({ refreshToken: session.refreshToken });
    expect((await rejectionOf(core.refresh.execute({ refreshToken: session.refreshToken }))).code).to.equal(
      'AUTH.INVALID_REFRESH_TOKEN',
    );
    expect((await rejectionOf(core.authenticate.execute(session.access.token))).code).to.equal('AUTH.UNAUTHENTICATED');
  });

  it('logout leaves the same user’s other sessions alone', async () => {
    const { core, session } = await loggedIn();
    const other = await core.login.execute({ email: 'user1@example.com', password: 'correct horse battery' });
    await core.logout.execute({ refreshToken: session.refreshToken });
    expect((await core.authenticate.execute(other.access.token)).id).to.be.a('string');
  });

  it('a role change ends every session of that user', async () => {
    const { core, user, session } = await loggedIn();
    await core.patchUser.execute({ actor: { id: 'root', role: 'admin' }, id: user.id, patch: { role: 'admin' } });
    expect((await rejectionOf(core.refresh.execute({ refreshToken: session.refreshToken }))).code).to.equal(
      'AUTH.INVALID_REFRESH_TOKEN',
    );
  });
});

describe('login throttling in memory', () => {
  it('locks an account after 3 failures, refuses even the right password, and names a wait', async () => {
    const core = await aCore();
    await core.register.execute(registration(1));
    for (let i = 0; i < 3; i++)
      await rejectionOf(
        core.login.execute({ email: 'user1@example.com', password: 'wrong password', client: `c${i}` }),
      );
    const err = await rejectionOf(
      core.login.execute({ email: 'user1@example.com', password: 'correct horse battery', client: 'c9' }),
    );
    expect(err.code).to.equal('AUTH.THROTTLED');
    expect(err).to.have.property('retryAfterSeconds').that.is.within(1, 60);
  });

  it('answers an unknown account exactly like a known one', async () => {
    const core = await aCore();
    for (let i = 0; i < 3; i++)
      await rejectionOf(
        core.login.execute({ email: 'ghost@example.com', password: 'wrong password', client: `c${i}` }),
      );
    expect(
      (await rejectionOf(core.login.execute({ email: 'ghost@example.com', password: 'x', client: 'c9' }))).code,
    ).to.equal('AUTH.THROTTLED');
  });
});
