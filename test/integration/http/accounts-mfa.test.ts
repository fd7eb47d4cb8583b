import { expect } from 'chai';
import {
  claimsOf,
  loginAnswer,
  me,
  otherCode,
  register,
  signIn,
  totpCode,
  useAccountsApp,
} from '../../support/accounts-app.js';
import { MEMORY_BACKEND, SQL_BACKENDS } from '../../support/backends.js';
import { expectProblem, send } from '../../support/http-client.js';
import { anAccountWithTotp, challenge, challengeOf, verify } from '../../support/mfa.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { startPortico } from '../../support/portico.js';

const MAX_FAILURES = 5;

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP accounts on ${backend.name}: TOTP two-factor`, function () {
    const app = useAccountsApp(backend, { MFA_MAX_FAILURES: String(MAX_FAILURES) });

    it('enrols: a secret, logins unchanged until a right code confirms it, then ten recovery codes', async () => {
      const account = await register(app);
      const { accessToken: token } = await signIn(app, account.email, account.password);
      expect(claimsOf(token).amr).to.deep.equal(['pwd']);
      const started = await send(app, 'POST', '/v1/auth/mfa/totp', { token });
      expect(started.status, started.text).to.equal(201);
      const { secret, otpauthUri } = started.body as { secret: string; otpauthUri: string };
      expect(secret).to.match(/^[A-Z2-7]+=*$/);
      expect(otpauthUri.startsWith('otpauth://totp/'), otpauthUri).to.equal(true);
      const uri = new URL(otpauthUri);
      expect(uri.searchParams.get('secret')).to.equal(secret);
      expect(uri.searchParams.get('issuer')).to.equal(app.config.accounts.totpIssuer);
      expect(decodeURIComponent(uri.pathname)).to.include(account.email);

      await signIn(app, account.email, account.password);
      expect((await me(app, token)).mfa).to.deep.equal({ totp: false });
      const code = totpCode(secret);
      expectProblem(
        await send(app, 'POST', '/v1/auth/mfa/totp/confirm', { token, json: { code: otherCode(code) } }),
        400,
        'AUTH.MFA_CODE_INVALID',
      );
      const confirmed = await send(app, 'POST', '/v1/auth/mfa/totp/confirm', { token, json: { code } });
      expect(confirmed.status, confirmed.text).to.equal(200);
      const codes = confirmed.body.recoveryCodes as string[];
      expect(codes).to.have.length(10);
      expect(new Set(codes).size).to.equal(10);
      expect((await me(app, token)).mfa).to.deep.equal({ totp: true });
      const again = await send(app, 'POST', '/v1/auth/mfa/totp', { token });
      expect(again.status, again.text).to.equal(409);
    });

    it('confirms only the latest enrolment, with a code typed with a space', async () => {
      const account = await register(app);
      const { accessToken: token } = await signIn(app, account.email, account.password);
      const early = await send(app, 'POST', '/v1/auth/mfa/totp/confirm', { token, json: { code: '123456' } });
      expectProblem(early, 409, 'AUTH.MFA_NOT_STARTED');
      const first = (await send(app, 'POST', '/v1/auth/mfa/totp', { token })).body.secret as string;
      const second = (await send(app, 'POST', '/v1/auth/mfa/totp', { token })).body.secret as string;
      expect(second).not.to.equal(first);
      const stale = await send(app, 'POST', '/v1/auth/mfa/totp/confirm', { token, json: { code: totpCode(first) } });
      expectProblem(stale, 400, 'AUTH.MFA_CODE_INVALID');
      const code = totpCode(second).replace(/^(\d{3})/, '$1 ');
      const res = await send(app, 'POST', '/v1/auth/mfa/totp/confirm', { token, json: { code } });
      expect(res.status, res.text).to.equal(200);
    });

    it('asks for a code at login, and the challenge with a right code gives tokens with amr pwd+otp', async () => {
      const account = await anAccountWithTotp(app);
      expectProblem(await loginAnswer(app, account.email, 'wrong password!'), 401, 'AUTH.INVALID_CREDENTIALS');
      const login = await loginAnswer(app, account.email, account.password);
      const res = await verify(app, { challenge: challengeOf(login), code: totpCode(account.secret, 1) });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ tokenType: 'Bearer' });
      expect(claimsOf(res.body.accessToken as string).amr).to.deep.equal(['pwd', 'otp']);
      expect((await me(app, res.body.accessToken as string)).email).to.equal(account.email);
      const refreshed = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: res.body.refreshToken } });
      expect(refreshed.status, refreshed.text).to.equal(200);
      expect(claimsOf(refreshed.body.accessToken as string).amr).to.deep.equal(['pwd', 'otp']);
    });

    it('refuses a code used before, a wrong code and a spent recovery code; the challenge outlives a wrong code', async () => {
      const account = await anAccountWithTotp(app);
      const code = totpCode(account.secret, 1);
      expect((await verify(app, { challenge: await challenge(app, account), code })).status).to.equal(200);
      expectProblem(await verify(app, { challenge: await challenge(app, account), code }), 401, 'AUTH.MFA_INVALID');

      const pending = await challenge(app, account);
      expectProblem(await verify(app, { challenge: pending, code: otherCode(code) }), 401, 'AUTH.MFA_INVALID');
      const [recoveryCode, another] = account.recoveryCodes;
      const recovered = await verify(app, { challenge: pending, recoveryCode });
      expect(recovered.status, recovered.text).to.equal(200);
      expect(claimsOf(recovered.body.accessToken as string).amr).to.deep.equal(['pwd', 'otp']);
      expectProblem(await verify(app, { challenge: pending, recoveryCode: another }), 401, 'AUTH.MFA_INVALID');
      expectProblem(
        await verify(app, { challenge: await challenge(app, account), recoveryCode }),
        401,
        'AUTH.MFA_INVALID',
      );
      expect((await verify(app, { challenge: await challenge(app, account), recoveryCode: another })).status).to.equal(
        200,
      );
    });

    it('refuses a challenge it never issued', async () => {
      const account = await anAccountWithTotp(app);
      const code = totpCode(account.secret, 1);
      expectProblem(await verify(app, { challenge: 'mc_notachallenge', code }), 401, 'AUTH.MFA_INVALID');
      expect((await verify(app, { challenge: await challenge(app, account), code })).status).to.equal(200);
    });

    it('throttles the second step past MFA_MAX_FAILURES wrong codes, the right one included', async () => {
      const account = await anAccountWithTotp(app);
      const pending = await challenge(app, account);
      const code = totpCode(account.secret, 1);
      for (let i = 0; i < MAX_FAILURES; i++)
        expectProblem(await verify(app, { challenge: pending, code: otherCode(code) }), 401, 'AUTH.MFA_INVALID');
      const throttled = await verify(app, { challenge: pending, code });
      expectProblem(throttled, 429, 'AUTH.THROTTLED');
      expect(Number(throttled.headers.get('retry-after'))).to.be.greaterThan(0);
    });

    it('turns TOTP off with the password and a recovery code, and logins give tokens directly again', async () => {
      const account = await anAccountWithTotp(app);
      const off = (json: object) => send(app, 'DELETE', '/v1/auth/mfa/totp', { token: account.token, json });
      const [recoveryCode] = account.recoveryCodes;
      expectProblem(await off({ password: 'wrong password!', recoveryCode }), 403, 'USER.WRONG_PASSWORD');
      const wrong = otherCode(totpCode(account.secret));
      expectProblem(await off({ password: account.password, code: wrong }), 400, 'AUTH.MFA_CODE_INVALID');
      const res = await off({ password: account.password, recoveryCode });
      expect(res.status, res.text).to.equal(204);
      const { accessToken } = await signIn(app, account.email, account.password);
      expect(claimsOf(accessToken).amr).to.deep.equal(['pwd']);
      expect((await me(app, accessToken)).mfa).to.deep.equal({ totp: false });
    });

    it('turns TOTP off with the password and a code', async () => {
      const account = await anAccountWithTotp(app);
      const code = totpCode(account.secret, 1);
      const off = (json: object) => send(app, 'DELETE', '/v1/auth/mfa/totp', { token: account.token, json });
      expectProblem(await off({ password: account.password, code: otherCode(code) }), 400, 'AUTH.MFA_CODE_INVALID');
      expect((await off({ password: account.password, code })).status).to.equal(204);
      expect((await me(app, account.token)).mfa).to.deep.equal({ totp: false });
      await signIn(app, account.email, account.password);
      const again = await off({ password: account.password, code: totpCode(account.secret) });
      expectProblem(again, 409, 'AUTH.MFA_NOT_ENABLED');
    });
  });
}

describe('HTTP accounts: the OpenAPI document', () => {
  it('lists the nine account operations', async () => {
    const app = await startPortico();
    try {
      const doc = (await send(app, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
      const operations = [
        ['post', '/v1/auth/email/verify'],
        ['post', '/v1/auth/email/verify/resend'],
        ['post', '/v1/auth/password/forgot'],
        ['post', '/v1/auth/password/reset'],
        ['post', '/v1/auth/email/confirm'],
        ['post', '/v1/auth/mfa/totp'],
        ['post', '/v1/auth/mfa/totp/confirm'],
        ['delete', '/v1/auth/mfa/totp'],
        ['post', '/v1/auth/mfa/verify'],
      ];
      for (const [method, path] of operations)
        expect(doc.paths[path!]?.[method!], `${method} ${path}`).to.be.an('object');
    } finally {
      await app.stop();
    }
  });
});
