import { expect } from 'chai';
import { loginAnswer, register, signIn, totpCode, type AccountsApp } from './accounts-app.js';
import { send, type Answer } from './http-client.js';

/** A signed-in account with TOTP on: its secret, its recovery codes and the TOTP code that confirmed it. */
export async function anAccountWithTotp(app: AccountsApp) {
  const account = await register(app);
  const { accessToken: token } = await signIn(app, account.email, account.password);
  const started = await send(app, 'POST', '/v1/auth/mfa/totp', { token });
  expect(started.status, started.text).to.equal(201);
  const secret = started.body.secret as string;
  const confirmed = await send(app, 'POST', '/v1/auth/mfa/totp/confirm', { token, json: { code: totpCode(secret) } });
  expect(confirmed.status, confirmed.text).to.equal(200);
  return { ...account, token, secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

/** 401 AUTH.MFA_REQUIRED as problem+json with the challenge as its one extra member; the challenge. */
export function challengeOf(res: Answer): string {
  expect(res.status, res.text).to.equal(401);
  expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(res.body).to.include({ status: 401, code: 'AUTH.MFA_REQUIRED' });
  expect(res.body.requestId).to.equal(res.headers.get('x-request-id'));
  expect(res.body).not.to.have.any.keys('accessToken', 'refreshToken');
  expect(res.body.challenge).to.be.a('string').and.not.empty;
  return res.body.challenge as string;
}

export async function challenge(app: AccountsApp, account: { email: string; password: string }): Promise<string> {
  return challengeOf(await loginAnswer(app, account.email, account.password));
}

export const verify = (app: AccountsApp, json: object) => send(app, 'POST', '/v1/auth/mfa/verify', { json });

/** Turns TOTP off with a recovery code and on again with a new secret, confirmed by `code(secret)`; the new recovery codes. */
export async function turnOffAndOnAgain(
  app: AccountsApp,
  account: { token: string; password: string; email: string },
  recoveryCode: string,
  code: (secret: string) => string,
): Promise<string[]> {
  const { token } = account;
  const off = await send(app, 'DELETE', '/v1/auth/mfa/totp', {
    token,
    json: { password: account.password, recoveryCode },
  });
  expect(off.status, off.text).to.equal(204);
  const secret = (await send(app, 'POST', '/v1/auth/mfa/totp', { token })).body.secret as string;
  const on = await send(app, 'POST', '/v1/auth/mfa/totp/confirm', { token, json: { code: code(secret) } });
  expect(on.status, on.text).to.equal(200);
  const [fresh] = on.body.recoveryCodes as string[];
  expect((await verify(app, { challenge: await challenge(app, account), recoveryCode: fresh })).status).to.equal(200);
  return on.body.recoveryCodes as string[];
}
