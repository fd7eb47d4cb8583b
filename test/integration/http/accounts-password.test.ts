import { expect } from 'chai';
import {
  SEND_INTERVAL_MS,
  aVerifiedAccount,
  expectAccepted,
  loginAnswer,
  register,
  signIn,
  useAccountsApp,
  type AccountsApp,
} from '../../support/accounts-app.js';
import { MEMORY_BACKEND, SQL_BACKENDS } from '../../support/backends.js';
import { expectProblem, newAccount, send } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';

const RESET_TTL_S = 300;
const NEW_PASSWORD = 'a brand new password';

const forgot = (app: { url: string }, email: string) =>
  send(app, 'POST', '/v1/auth/password/forgot', { json: { email } });
const reset = (app: { url: string }, token: string, newPassword = NEW_PASSWORD) =>
  send(app, 'POST', '/v1/auth/password/reset', { json: { token, newPassword } });

/** Asks for a reset link for `email` and takes it from the mailbox. */
async function resetLink(app: AccountsApp, email: string): Promise<string> {
  expectAccepted(await forgot(app, email));
  return (await app.mailbox.link(email, 'reset-password')).token;
}

function expectThrottled(res: Awaited<ReturnType<typeof forgot>>): void {
  expectProblem(res, 429, 'AUTH.THROTTLED');
  expect(Number(res.headers.get('retry-after'))).to.be.greaterThan(0);
}

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP accounts on ${backend.name}: password reset`, function () {
    const app = useAccountsApp(backend, { PASSWORD_RESET_TTL_S: String(RESET_TTL_S) });

    it('sets a new password from the mailed link and ends every session from before', async () => {
      const account = await aVerifiedAccount(app);
      const before = await signIn(app, account.email, account.password);
      expectAccepted(await forgot(app, `  ${account.email.toUpperCase()} `));
      const { token } = await app.mailbox.link(account.email, 'reset-password');
      const res = await reset(app, token);
      expect(res.status, res.text).to.equal(204);
      expect(res.text).to.equal('');
      expectProblem(await loginAnswer(app, account.email, account.password), 401, 'AUTH.INVALID_CREDENTIALS');
      await signIn(app, account.email, NEW_PASSWORD);
      const refresh = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: before.refreshToken } });
      expect(refresh.status, refresh.text).to.equal(401);
      const meBefore = await send(app, 'GET', '/v1/auth/me', { token: before.accessToken });
      expect(meBefore.status, meBefore.text).to.equal(401);
      expectProblem(await reset(app, token, 'yet another password'), 400, 'AUTH.TOKEN_INVALID');
    });

    it('kills the other reset links of the user once one is used', async () => {
      const account = await register(app);
      const first = await resetLink(app, account.email);
      const second = await resetLink(app, account.email);
      expect((await reset(app, first)).status).to.equal(204);
      expectProblem(await reset(app, second, 'yet another password'), 400, 'AUTH.TOKEN_INVALID');
    });

    it('takes a link once when it is sent twice at the same time', async () => {
      const account = await register(app);
      const token = await resetLink(app, account.email);
      const answers = await Promise.all([reset(app, token), reset(app, token, 'the other new password')]);
      expect(answers.map((a) => a.status).sort()).to.deep.equal([204, 400]);
      const winner = answers[0]!.status === 204 ? NEW_PASSWORD : 'the other new password';
      await signIn(app, account.email, winner);
    });

    it('refuses the link of an account that was deleted', async () => {
      const account = await register(app);
      const token = await resetLink(app, account.email);
      const { accessToken } = await signIn(app, account.email, account.password);
      const gone = await send(app, 'DELETE', `/v1/users/${account.id}`, { token: accessToken });
      expect(gone.status, gone.text).to.equal(204);
      expectProblem(await reset(app, token), 400, 'AUTH.TOKEN_INVALID');
      expectProblem(await loginAnswer(app, account.email, NEW_PASSWORD), 401, 'AUTH.INVALID_CREDENTIALS');
    });

    it('refuses a link mailed before the password was changed by its owner', async () => {
      const account = await register(app);
      const token = await resetLink(app, account.email);
      const { accessToken } = await signIn(app, account.email, account.password);
      const changed = await send(app, 'PUT', `/v1/users/${account.id}/password`, {
        token: accessToken,
        json: { currentPassword: account.password, newPassword: 'changed by its owner' },
      });
      expect(changed.status, changed.text).to.equal(204);
      expectProblem(await reset(app, token), 400, 'AUTH.TOKEN_INVALID');
      await signIn(app, account.email, 'changed by its owner');
    });

    it('refuses a link past its lifetime', async () => {
      const account = await register(app);
      const token = await resetLink(app, account.email);
      app.clock.shift((RESET_TTL_S + 1) * 1000);
      try {
        expectProblem(await reset(app, token), 400, 'AUTH.TOKEN_INVALID');
      } finally {
        app.clock.shift(0);
      }
      await signIn(app, account.email, account.password);
      // Back inside its lifetime the same link works: what was refused was its age.
      expect((await reset(app, token)).status).to.equal(204);
    });

    it('refuses a password too short, and the link still works afterwards', async () => {
      const account = await register(app);
      const token = await resetLink(app, account.email);
      const short = await reset(app, token, 'short');
      expectProblem(short, 400, 'REQUEST.INVALID');
      expect((await reset(app, token)).status).to.equal(204);
      await signIn(app, account.email, NEW_PASSWORD);
    });

    it('takes a reset link for nothing else, and nothing else for a reset link', async () => {
      const account = await register(app);
      const verifyToken = (await app.mailbox.link(account.email, 'verify-email')).token;
      const token = await resetLink(app, account.email);
      for (const path of ['/v1/auth/email/verify', '/v1/auth/email/confirm'])
        expectProblem(await send(app, 'POST', path, { json: { token } }), 400, 'AUTH.TOKEN_INVALID');
      expectProblem(await reset(app, verifyToken), 400, 'AUTH.TOKEN_INVALID');
      expect((await reset(app, token)).status).to.equal(204);
    });

    it('answers an unknown address with the same 202 and mails nothing', async () => {
      const account = await register(app);
      const unknown = newAccount().email;
      const known = await forgot(app, account.email);
      const nobody = await forgot(app, unknown);
      expectAccepted(known);
      expectAccepted(nobody);
      expect(nobody.text).to.equal(known.text);
      await app.mailbox.link(account.email, 'reset-password');
      await app.mailbox.expectNoNewLetter(unknown, 0, 6 * SEND_INTERVAL_MS);
    });

    it('throttles requests for one address past ACCOUNT_MAIL_MAX_PER_ADDRESS, known or not', async () => {
      const limit = app.config.accounts.mailThrottle.perAccount;
      const account = await register(app);
      const unknown = newAccount().email;
      for (const email of [account.email, unknown]) {
        for (let i = 0; i < limit; i++) expectAccepted(await forgot(app, email));
        expectThrottled(await forgot(app, email));
      }
      // Another address is not held back by that one.
      expectAccepted(await forgot(app, newAccount().email));
    });
  });
}

describe('HTTP accounts on memory: forgot-password timing', function () {
  const FLOOR_MS = 250;
  const app = useAccountsApp(MEMORY_BACKEND, {
    ACCOUNT_RESPONSE_FLOOR_MS: String(FLOOR_MS),
    ACCOUNT_MAIL_MAX_PER_ADDRESS: '100',
  });

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  async function timed(email: string): Promise<number> {
    const started = performance.now();
    expectAccepted(await forgot(app, email));
    return performance.now() - started;
  }

  it('answers an existing and an unknown address in about the same time, no sooner than the floor', async () => {
    const account = await register(app);
    const unknown = newAccount().email;
    await timed(unknown);
    const known: number[] = [];
    const nobody: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await timed(account.email));
      nobody.push(await timed(unknown));
    }
    const [k, n] = [median(known), median(nobody)];
    expect(Math.abs(k - n), `median ${k} ms vs ${n} ms`).to.be.lessThan(50);
    expect(k).to.be.at.least(FLOOR_MS);
    expect(n).to.be.at.least(FLOOR_MS);
  });
});
