import { expect } from 'chai';
import { aCore, registration } from '../../../support/core.js';
import { rejectionOf } from '../../../support/rejection.js';

describe('Login', () => {
  it('issues an access token for the right password', async () => {
    const core = await aCore();
    const user = await core.register.execute(registration(1));
    const result = await core.login.execute({ email: 'USER1@example.com ', password: 'correct horse battery' });
    expect(result.user.id).to.equal(user.id);
    expect(result.access.expiresIn).to.equal(900);
    const claims = await core.tokens.verifyAccessToken(result.access.token);
    expect(claims).to.include({ sub: user.id, role: 'user' });
  });

  it('answers a wrong password and an unknown email with the same error', async () => {
    const core = await aCore();
    await core.register.execute(registration(1));
    const wrong = await rejectionOf(core.login.execute({ email: 'user1@example.com', password: 'not the password' }));
    const unknown = await rejectionOf(
      core.login.execute({ email: 'nobody@example.com', password: 'correct horse battery' }),
    );
    expect(wrong.code).to.equal('AUTH.INVALID_CREDENTIALS');
    expect(unknown.code).to.equal(wrong.code);
    expect(unknown.message).to.equal(wrong.message);
  });

  it('matches a password typed in another Unicode form (NFKC)', async () => {
    const core = await aCore();
    await core.register.execute(registration(1, { password: 'ｐａｓｓｗｏｒｄ１' }));
    const result = await core.login.execute({ email: 'user1@example.com', password: 'password1' });
    expect(result.access.token).to.be.a('string');
  });
});
