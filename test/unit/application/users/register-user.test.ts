import { expect } from 'chai';
import { aCore, registration } from '../../../support/core.js';
import { rejectionOf } from '../../../support/rejection.js';

describe('RegisterUser', () => {
  it('stores a user with a normalized email, the user role and a hashed password', async () => {
    const core = await aCore();
    const user = await core.register.execute(registration(1, { email: '  User1@Example.COM ' }));
    const stored = await core.users.findById(user.id);
    expect(stored?.email).to.equal('user1@example.com');
    expect(stored?.role).to.equal('user');
    expect(stored?.passwordHash).to.equal('hashed(correct horse battery)');
    expect(stored?.createdAt.toISOString()).to.equal('2026-01-01T00:00:00.000Z');
  });

  it('rejects an email that is already taken, in any case', async () => {
    const core = await aCore();
    await core.register.execute(registration(1));
    const err = await rejectionOf(core.register.execute(registration(1, { email: 'USER1@example.com' })));
    expect(err.code).to.equal('USER.EMAIL_TAKEN');
    expect((await core.users.list({ limit: 10 })).items).to.have.length(1);
  });

  it('rejects a short password and stores nothing', async () => {
    const core = await aCore();
    const err = await rejectionOf(core.register.execute(registration(1, { password: 'short' })));
    expect(err.code).to.equal('REQUEST.INVALID');
    expect((await core.users.list({ limit: 10 })).items).to.have.length(0);
  });

  it('gives ids that sort in creation order', async () => {
    const core = await aCore();
    const a = await core.register.execute(registration('a'));
    const b = await core.register.execute(registration('b'));
    expect(a.id < b.id).to.equal(true);
  });
});
