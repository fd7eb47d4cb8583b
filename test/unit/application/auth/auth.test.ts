import { expect } from 'chai';
import { aCore, registration } from '../../../support/core.js';
import { rejectionOf } from '../../../support/rejection.js';

describe('ChangePassword', () => {
  it('replaces the hash after checking the current password, then ends every session of the user', async () => {
    const core = await aCore();
    const user = await core.register.execute(registration(1));
    const { refreshToken } = await core.login.execute({
      email: user.email,
      password: 'correct horse battery',
      client: '10.0.0.1',
    });
    await core.changePassword.execute({
      actor: user,
      id: user.id,
      currentPassword: 'correct horse battery',
      newPassword: 'a new secret phrase',
    });
    expect((await core.users.findById(user.id))?.passwordHash).to.equal('hashed(a new secret phrase)');
    expect((await rejectionOf(core.refresh.execute({ refreshToken }))).code).to.equal('AUTH.INVALID_REFRESH_TOKEN');
  });

  it('refuses a wrong current password and keeps the old hash', async () => {
    const core = await aCore();
    const user = await core.register.execute(registration(1));
    const err = await rejectionOf(
      core.changePassword.execute({
        actor: user,
        id: user.id,
        currentPassword: 'wrong one!',
        newPassword: 'a new secret phrase',
      }),
    );
    expect(err.code).to.equal('USER.WRONG_PASSWORD');
    expect((await core.users.findById(user.id))?.passwordHash).to.equal('hashed(correct horse battery)');
  });

  it("answers someone else's id as not found", async () => {
    const core = await aCore();
    const a = await core.register.execute(registration('a'));
    const b = await core.register.execute(registration('b'));
    const err = await rejectionOf(
      core.changePassword.execute({
        actor: a,
        id: b.id,
        currentPassword: 'correct horse battery',
        newPassword: 'whatever123',
      }),
    );
    expect(err.code).to.equal('USER.NOT_FOUND');
  });
});

describe('EnsureAdmin', () => {
  it('creates the admin once and never overwrites it', async () => {
    const core = await aCore();
    expect(await core.ensureAdmin.execute({ email: 'root@example.com', password: 'first password' })).to.equal(
      'created',
    );
    expect(await core.ensureAdmin.execute({ email: 'root@example.com', password: 'other password' })).to.equal(
      'exists',
    );
    const admin = await core.users.findByEmail('root@example.com');
    expect(admin?.role).to.equal('admin');
    expect(admin?.passwordHash).to.equal('hashed(first password)');
  });
});

describe('Authenticate', () => {
  it('turns a valid token into the actor with the role stored now', async () => {
    const core = await aCore();
    const user = await core.register.execute(registration(1));
    const { token } = await core.tokens.issueAccessToken(user);
    user.role = 'admin';
    await core.users.update(user);
    expect(await core.authenticate.execute(token)).to.deep.include({ id: user.id, role: 'admin' });
  });

  it('refuses the token of a deleted user', async () => {
    const core = await aCore();
    const user = await core.register.execute(registration(1));
    const { token } = await core.tokens.issueAccessToken(user);
    await core.users.delete(user.id);
    expect((await rejectionOf(core.authenticate.execute(token))).code).to.equal('AUTH.UNAUTHENTICATED');
  });
});
