import { expect } from 'chai';
import { register, signIn, totpCode, useAccountsApp } from '../../support/accounts-app.js';
import { MEMORY_BACKEND, SQL_BACKENDS } from '../../support/backends.js';
import { expectProblem, send } from '../../support/http-client.js';
import { anAccountWithTotp, challenge, turnOffAndOnAgain, verify } from '../../support/mfa.js';
import { MONGO_BACKEND } from '../../support/mongo.js';

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP accounts on ${backend.name}: TOTP two-factor races, lifetimes and re-enrolment`, function () {
    const app = useAccountsApp(backend);

    it('refuses a challenge past its lifetime', async () => {
      const account = await anAccountWithTotp(app);
      const pending = await challenge(app, account);
      app.clock.shift((app.config.accounts.ttlSeconds.mfaChallenge + 1) * 1000);
      try {
        const res = await verify(app, { challenge: pending, code: totpCode(account.secret, 1) });
        expectProblem(res, 401, 'AUTH.MFA_INVALID');
      } finally {
        app.clock.shift(0);
      }
    });

    it('accepts one code once when it is sent on two challenges at the same time', async () => {
      const account = await anAccountWithTotp(app);
      const code = totpCode(account.secret, 1);
      const [a, b] = [await challenge(app, account), await challenge(app, account)];
      const answers = await Promise.all([verify(app, { challenge: a, code }), verify(app, { challenge: b, code })]);
      expect(answers.map((res) => res.status).sort()).to.deep.equal([200, 401]);
    });

    it('hands out only recovery codes that work when the enrolment is confirmed several times at once', async () => {
      // A race: a few accounts make it show where a single one might not.
      for (let round = 0; round < 4; round++) {
        const account = await register(app);
        const { accessToken: token } = await signIn(app, account.email, account.password);
        const secret = (await send(app, 'POST', '/v1/auth/mfa/totp', { token })).body.secret as string;
        const answers = await Promise.all(
          [totpCode(secret, -1), totpCode(secret), totpCode(secret, 1)].map((code) =>
            send(app, 'POST', '/v1/auth/mfa/totp/confirm', { token, json: { code } }),
          ),
        );
        const handedOut = answers.filter((res) => res.status === 200).map((res) => res.body.recoveryCodes as string[]);
        expect(handedOut, answers.map((res) => res.text).join(' ')).not.to.be.empty;
        for (const [recoveryCode] of handedOut) {
          const res = await verify(app, { challenge: await challenge(app, account), recoveryCode });
          expect(res.status, `a recovery code of ${handedOut.length} sets handed out: ${res.text}`).to.equal(200);
        }
      }
    });

    it('takes a recovery code once when it is sent on two challenges at the same time', async () => {
      const account = await anAccountWithTotp(app);
      const [recoveryCode] = account.recoveryCodes;
      const [a, b] = [await challenge(app, account), await challenge(app, account)];
      const answers = await Promise.all([
        verify(app, { challenge: a, recoveryCode }),
        verify(app, { challenge: b, recoveryCode }),
      ]);
      expect(answers.map((res) => res.status).sort()).to.deep.equal([200, 401]);
    });

    it('forgets the recovery codes of an enrolment that was turned off', async () => {
      const account = await anAccountWithTotp(app);
      const [old, spent] = account.recoveryCodes;
      await turnOffAndOnAgain(app, account, spent!, (secret) => totpCode(secret, 1));
      expectProblem(
        await verify(app, { challenge: await challenge(app, account), recoveryCode: old }),
        401,
        'AUTH.MFA_INVALID',
      );
    });

    it("confirms a new enrolment with the new secret's code of a step the old secret used", async () => {
      const account = await anAccountWithTotp(app);
      const [recoveryCode] = account.recoveryCodes;
      // The old secret's code of this step confirmed the first enrolment; the new secret's is another code.
      await turnOffAndOnAgain(app, account, recoveryCode!, (secret) => totpCode(secret, 0));
    });

    it('ends a pending challenge when the password is reset', async () => {
      const account = await anAccountWithTotp(app);
      const pending = await challenge(app, account);
      const forgot = await send(app, 'POST', '/v1/auth/password/forgot', { json: { email: account.email } });
      expect(forgot.status, forgot.text).to.equal(202);
      const { token } = await app.mailbox.link(account.email, 'reset-password');
      const newPassword = 'a brand new password';
      const reset = await send(app, 'POST', '/v1/auth/password/reset', { json: { token, newPassword } });
      expect(reset.status, reset.text).to.equal(204);
      const code = totpCode(account.secret, 1);
      expectProblem(await verify(app, { challenge: pending, code }), 401, 'AUTH.MFA_INVALID');
      const fresh = await challenge(app, { email: account.email, password: newPassword });
      expect((await verify(app, { challenge: fresh, code })).status).to.equal(200);
    });
  });
}
