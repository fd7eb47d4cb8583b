import http from 'node:http';
import { expect } from 'chai';
import {
  APP_URL,
  SEND_INTERVAL_MS,
  aVerifiedAccount,
  expectAccepted,
  loginAnswer,
  me,
  register,
  signIn,
  useAccountsApp,
} from '../../support/accounts-app.js';
import { MEMORY_BACKEND, SQL_BACKENDS, type Backend } from '../../support/backends.js';
import { expectProblem, newAccount, send } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { PORTICO_ADMIN } from '../../support/portico.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** Long enough for the sender loop to have sent anything that was queued. */
const QUIET_MS = 6 * SEND_INTERVAL_MS;

/** POST with a JSON body and the Host header given (fetch never sends a Host of the caller's choosing). */
function postWithHost(url: string, path: string, host: string, json: unknown) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const body = JSON.stringify(json);
    const req = http.request(`${url}${path}`, {
      method: 'POST',
      headers: { host, 'x-forwarded-host': host, 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text || '{}') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const verify = (app: { url: string }, token: string) => send(app, 'POST', '/v1/auth/email/verify', { json: { token } });
const resend = (app: { url: string }, email: string) =>
  send(app, 'POST', '/v1/auth/email/verify/resend', { json: { email } });

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP accounts on ${backend.name}: email verification`, function () {
    const app = useAccountsApp(backend);

    it('mails a link under PUBLIC_APP_URL on registration, whatever Host the request names', async () => {
      const account = newAccount();
      const res = await postWithHost(app.url, '/v1/auth/register', 'evil.example', account);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.user).to.deep.include({ emailVerifiedAt: null, mfa: { totp: false } });
      const { url, letter } = await app.mailbox.link(account.email, 'verify-email');
      expect(url.startsWith(`${APP_URL}/verify-email?token=`), url).to.equal(true);
      expect(letter.text).not.to.include('evil.example');
    });

    it('verifies the address with the mailed token, once', async () => {
      const account = await register(app);
      const { accessToken } = await signIn(app, account.email, account.password);
      expect(await me(app, accessToken)).to.deep.include({ emailVerifiedAt: null, mfa: { totp: false } });
      const { token } = await app.mailbox.link(account.email, 'verify-email');
      const verified = await verify(app, token);
      expect(verified.status, verified.text).to.equal(204);
      expect(verified.text).to.equal('');
      expect((await me(app, accessToken)).emailVerifiedAt).to.match(ISO);
      expectProblem(await verify(app, token), 400, 'AUTH.TOKEN_INVALID');
    });

    it('refuses a verification link past its lifetime', async () => {
      const account = await register(app);
      const { token } = await app.mailbox.link(account.email, 'verify-email');
      app.clock.shift((app.config.accounts.ttlSeconds.verifyEmail + 1) * 1000);
      try {
        expectProblem(await verify(app, token), 400, 'AUTH.TOKEN_INVALID');
      } finally {
        app.clock.shift(0);
      }
    });

    it('refuses a token it never issued', async () => {
      expectProblem(await verify(app, 've_notatokenthisserverissued'), 400, 'AUTH.TOKEN_INVALID');
      expectProblem(await verify(app, 'garbage'), 400, 'AUTH.TOKEN_INVALID');
    });

    it('mails a new working link to an unverified account on resend', async () => {
      const account = await register(app);
      await app.mailbox.link(account.email, 'verify-email');
      expectAccepted(await resend(app, account.email.toUpperCase()));
      const { token } = await app.mailbox.link(account.email, 'verify-email');
      expect((await verify(app, token)).status).to.equal(204);
      const { accessToken } = await signIn(app, account.email, account.password);
      expect((await me(app, accessToken)).emailVerifiedAt).to.match(ISO);
    });

    it('throttles resends for one address past ACCOUNT_MAIL_MAX_PER_ADDRESS', async () => {
      const account = await register(app);
      for (let i = 0; i < app.config.accounts.mailThrottle.perAccount; i++)
        expectAccepted(await resend(app, account.email));
      const throttled = await resend(app, account.email);
      expectProblem(throttled, 429, 'AUTH.THROTTLED');
      expect(Number(throttled.headers.get('retry-after'))).to.be.greaterThan(0);
    });

    it('answers a resend for a verified or unknown address with the same 202 and mails nothing', async () => {
      const account = await aVerifiedAccount(app);
      const unknown = newAccount().email;
      const letters = app.mailbox.lettersTo(account.email).length;
      const known = await resend(app, account.email);
      const nobody = await resend(app, unknown);
      expectAccepted(known);
      expectAccepted(nobody);
      expect(known.text).to.equal(nobody.text);
      await app.mailbox.expectNoNewLetter(account.email, letters, QUIET_MS);
      expect(app.mailbox.lettersTo(unknown)).to.deep.equal([]);
    });
  });
}

for (const backend of [MEMORY_BACKEND, SQL_BACKENDS[1]!]) {
  describe(`HTTP accounts on ${backend.name}: REQUIRE_VERIFIED_EMAIL=true`, function () {
    const app = useAccountsApp(backend as Backend, { REQUIRE_VERIFIED_EMAIL: 'true' });

    it('refuses the right password of an unverified account with 403, a wrong one with 401', async () => {
      const account = await register(app);
      expectProblem(await loginAnswer(app, account.email, account.password), 403, 'AUTH.EMAIL_UNVERIFIED');
      expectProblem(await loginAnswer(app, account.email, 'wrong password!'), 401, 'AUTH.INVALID_CREDENTIALS');
    });

    it('signs the account in once its email is verified', async () => {
      const account = await register(app);
      const { token } = await app.mailbox.link(account.email, 'verify-email');
      expect((await verify(app, token)).status).to.equal(204);
      const { accessToken } = await signIn(app, account.email, account.password);
      expect((await me(app, accessToken)).email).to.equal(account.email);
    });

    it('signs the configured admin in without a verification', async () => {
      const { accessToken } = await signIn(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
      expect((await me(app, accessToken)).emailVerifiedAt).to.match(ISO);
    });
  });
}
