import { expect } from 'chai';
import { aVerifiedAccount, APP_URL, claimsOf, register, signIn, useAccountsApp } from '../../support/accounts-app.js';
import { MEMORY_BACKEND, SQL_BACKENDS } from '../../support/backends.js';
import { Browser } from '../../support/browser.js';
import { expectProblem, login, send } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { startTestProvider, type TestAccount, type TestProvider } from '../../support/oidc-provider.js';
import { PORTICO_ADMIN } from '../../support/portico.js';

/** The API's public origin as configured: the test's browser maps it to the app's loopback address. */
const API = 'http://api.portico.test';
const RETURN_TO = `${APP_URL}/signed-in`;
let subjects = 0;
const aPerson = (extra: Partial<TestAccount> = {}): TestAccount => ({
  sub: `sub-${process.pid}-${++subjects}`,
  email: `oidc-${process.pid}-${subjects}@example.com`,
  email_verified: true,
  name: 'Grace Hopper',
  ...extra,
});

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP OpenID Connect sign-in on ${backend.name}`, function () {
    this.timeout(20_000);
    let provider: TestProvider;
    const env: Record<string, string> = {};
    before(async () => {
      provider = await startTestProvider([`${API}/v1/auth/oidc/test/callback`]);
      Object.assign(env, {
        OIDC_PROVIDERS: 'test,down',
        OIDC_TEST_ISSUER: provider.issuer,
        OIDC_TEST_CLIENT_ID: provider.clientId,
        OIDC_TEST_CLIENT_SECRET: provider.clientSecret,
        // Nothing listens there: discovery fails.
        OIDC_DOWN_ISSUER: 'http://127.0.0.1:9',
        OIDC_DOWN_CLIENT_ID: 'portico',
        OIDC_DOWN_CLIENT_SECRET: 'secret',
        OIDC_REDIRECT_BASE_URL: API,
        OIDC_HTTP_TIMEOUT_S: '2',
      });
    });
    after(() => provider?.stop());
    const app = useAccountsApp(backend, env);
    const browser = () => new Browser({ [API]: app.url });

    /** A whole sign-in in a browser: start, the provider, the callback; the URL the app is sent back to. */
    async function signInWithProvider(person: TestAccount, b = browser(), start = startUrl()) {
      provider.signInAs(person);
      const { url, response } = await b.follow(start, APP_URL);
      expect(response, response && `${response.status} ${await response.text()}`).to.equal(undefined);
      return new URL(url);
    }
    const startUrl = (returnTo = RETURN_TO, name = 'test') =>
      `${API}/v1/auth/oidc/${name}/start?returnTo=${encodeURIComponent(returnTo)}`;
    const exchange = (code: string | null) => send(app, 'POST', '/v1/auth/oidc/exchange', { json: { code } });
    async function tokensFor(back: URL) {
      expect(back.searchParams.get('error')).to.equal(null);
      const res = await exchange(back.searchParams.get('code'));
      expect(res.status, res.text).to.equal(200);
      return res.body as { accessToken: string; refreshToken: string; tokenType: string; expiresIn: number };
    }
    const meOf = async (token: string) => (await send(app, 'GET', '/v1/auth/me', { token })).body.user;

    it('signs a new person up: a 302 to the provider with PKCE, state and nonce, back with a one-time code, tokens with amr ["fed"]', async () => {
      const b = browser();
      const started = await b.get(startUrl());
      expect(started.status).to.equal(302);
      const authorize = new URL(started.headers.get('location') ?? '');
      expect(authorize.origin).to.equal(provider.issuer);
      expect(authorize.searchParams.get('code_challenge_method')).to.equal('S256');
      for (const p of ['code_challenge', 'state', 'nonce'])
        expect(authorize.searchParams.get(p), p).to.have.length.above(20);
      expect(authorize.searchParams.get('redirect_uri')).to.equal(`${API}/v1/auth/oidc/test/callback`);
      expect(started.headers.get('set-cookie')).to.match(
        /^portico_oidc=.+; Path=\/v1\/auth\/oidc\/; Max-Age=600; HttpOnly; SameSite=Lax$/,
      );

      const person = aPerson();
      const back = await signInWithProvider(person, b, authorize.href);
      expect(back.origin + back.pathname).to.equal(RETURN_TO);
      expect(back.searchParams.get('code')).to.match(/^oc_[A-Za-z0-9_-]{43}$/);
      const pair = await tokensFor(back);
      expect(pair.tokenType).to.equal('Bearer');
      expect(claimsOf(pair.accessToken).amr).to.deep.equal(['fed']);
      const user = await meOf(pair.accessToken);
      expect(user.email).to.equal(person.email);
      expect(user.name).to.equal('Grace Hopper');
      expect(user.emailVerifiedAt).to.be.a('string');
      const identities = await send(app, 'GET', '/v1/auth/oidc/identities', { token: pair.accessToken });
      expect(identities.body.items.map((i: { provider: string }) => i.provider)).to.deep.equal(['test']);
      // The same person again: the same user.
      const again = await tokensFor(await signInWithProvider(person));
      expect((await meOf(again.accessToken)).id).to.equal(user.id);
      // Refreshed tokens keep saying how the session was proven.
      const refreshed = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: again.refreshToken } });
      expect(claimsOf(refreshed.body.accessToken).amr).to.deep.equal(['fed']);
    });

    it('has no password: password login fails as a wrong password would', async () => {
      const person = aPerson();
      await tokensFor(await signInWithProvider(person));
      expectProblem(
        await send(app, 'POST', '/v1/auth/login', { json: { email: person.email, password: '' } }),
        400,
        'REQUEST.INVALID',
      );
      expectProblem(
        await send(app, 'POST', '/v1/auth/login', { json: { email: person.email, password: 'any password' } }),
        401,
        'AUTH.INVALID_CREDENTIALS',
      );
    });

    it('links an existing verified account when the provider vouches for the email too', async () => {
      const account = await aVerifiedAccount(app);
      const back = await signInWithProvider(aPerson({ email: account.email }));
      const pair = await tokensFor(back);
      expect((await meOf(pair.accessToken)).id).to.equal(account.id);
    });

    it('refuses to link when the provider does not say the email is verified (AUTH.OIDC_LINK_REQUIRED), and when the account is unverified', async () => {
      const verified = await aVerifiedAccount(app);
      const back = await signInWithProvider(aPerson({ email: verified.email, email_verified: false }));
      expect(back.searchParams.get('error')).to.equal('AUTH.OIDC_LINK_REQUIRED');
      expect(back.searchParams.get('code')).to.equal(null);
      const unverified = await register(app);
      const again = await signInWithProvider(aPerson({ email: unverified.email }));
      expect(again.searchParams.get('error')).to.equal('AUTH.OIDC_LINK_REQUIRED');
    });

    it('links explicitly: POST .../link answers a location; the browser opens it; then the provider signs that user in', async () => {
      const account = await register(app);
      const { accessToken: token } = await signIn(app, account.email, account.password);
      const person = aPerson({ email: 'someone-else@example.org', email_verified: false });
      const res = await send(app, 'POST', '/v1/auth/oidc/test/link', {
        token,
        json: { returnTo: `${APP_URL}/settings` },
      });
      expect(res.status, res.text).to.equal(200);
      const location = res.body.location as string;
      expect(location.startsWith(`${API}/v1/auth/oidc/test/start?`)).to.equal(true);
      expect(location).not.to.include(token);
      const back = await signInWithProvider(person, browser(), location);
      expect(back.href).to.equal(`${APP_URL}/settings?linked=test`);
      // The ticket was single-use.
      const reused = await browser().get(location);
      await expectProblemAnswer(reused, 400, 'AUTH.OIDC_STATE_INVALID');
      const pair = await tokensFor(await signInWithProvider(person));
      expect((await meOf(pair.accessToken)).id).to.equal(account.id);
      // Another user cannot link the same provider account.
      const other = await register(app);
      const { accessToken: otherToken } = await signIn(app, other.email, other.password);
      const otherLink = await send(app, 'POST', '/v1/auth/oidc/test/link', {
        token: otherToken,
        json: { returnTo: RETURN_TO },
      });
      const refused = await signInWithProvider(person, browser(), otherLink.body.location);
      expect(refused.searchParams.get('error')).to.equal('AUTH.OIDC_ALREADY_LINKED');
      // Unlinking with a password left: allowed; then the provider signs up a new account instead.
      const unlinked = await send(app, 'DELETE', '/v1/auth/oidc/test/link', { token });
      expect(unlinked.status, unlinked.text).to.equal(204);
      expectProblem(await send(app, 'DELETE', '/v1/auth/oidc/test/link', { token }), 404, 'AUTH.OIDC_NOT_LINKED');
    });

    it('refuses to unlink the last way in (409), and allows it once a password is set', async () => {
      const person = aPerson();
      const pair = await tokensFor(await signInWithProvider(person));
      const res = await send(app, 'DELETE', '/v1/auth/oidc/test/link', { token: pair.accessToken });
      expectProblem(res, 409, 'AUTH.OIDC_LAST_SIGN_IN_METHOD');
      await send(app, 'POST', '/v1/auth/password/forgot', { json: { email: person.email } });
      const { token } = await app.mailbox.link(person.email ?? '', 'reset-password');
      const reset = await send(app, 'POST', '/v1/auth/password/reset', {
        json: { token, newPassword: 'a brand new password' },
      });
      expect(reset.status, reset.text).to.equal(204);
      const fresh = await signIn(app, person.email ?? '', 'a brand new password');
      const unlinked = await send(app, 'DELETE', '/v1/auth/oidc/test/link', { token: fresh.accessToken });
      expect(unlinked.status, unlinked.text).to.equal(204);
    });

    it('refuses a wrong state: back to the app with AUTH.OIDC_STATE_INVALID; without the flow cookie, a problem', async () => {
      const b = browser();
      provider.signInAs(aPerson());
      const started = await b.get(startUrl());
      const { url } = await b.follow(started.headers.get('location') ?? '', `${API}/v1/auth/oidc/test/callback`);
      const callback = new URL(url);
      callback.searchParams.set('state', 'forged-state-value-forged-state-value');
      const saved = new Map(b.cookies);
      const wrong = await b.get(callback.href);
      expect(wrong.status).to.equal(302);
      expect(new URL(wrong.headers.get('location') ?? '').searchParams.get('error')).to.equal(
        'AUTH.OIDC_STATE_INVALID',
      );
      const noCookie = await browser().get(url);
      await expectProblemAnswer(noCookie, 400, 'AUTH.OIDC_STATE_INVALID');
      const altered = new Browser({ [API]: app.url });
      const parts = (saved.get('portico_oidc') ?? '').split('.');
      parts[3] = (parts[3]?.startsWith('A') ? 'B' : 'A') + (parts[3] ?? '').slice(1);
      altered.cookies.set('portico_oidc', parts.join('.'));
      await expectProblemAnswer(await altered.get(url), 400, 'AUTH.OIDC_STATE_INVALID');
    });

    it('refuses a replayed authorization code and a replayed exchange code', async () => {
      const b = browser();
      provider.signInAs(aPerson());
      const started = await b.get(startUrl());
      const { url } = await b.follow(started.headers.get('location') ?? '', `${API}/v1/auth/oidc/test/callback`);
      const cookie = b.cookies.get('portico_oidc') ?? '';
      const first = await b.get(url);
      const code = new URL(first.headers.get('location') ?? '').searchParams.get('code');
      const replay = new Browser({ [API]: app.url });
      replay.cookies.set('portico_oidc', cookie);
      const second = await replay.get(url);
      expect(new URL(second.headers.get('location') ?? '').searchParams.get('error')).to.equal('AUTH.OIDC_INVALID');
      expect((await exchange(code)).status).to.equal(200);
      expectProblem(await exchange(code), 400, 'AUTH.TOKEN_INVALID');
      expectProblem(await exchange('oc_unknown'), 400, 'AUTH.TOKEN_INVALID');
    });

    it('refuses an ID token whose signature was altered on the way (AUTH.OIDC_INVALID)', async () => {
      provider.tamperIdTokens = true;
      try {
        const back = await signInWithProvider(aPerson());
        expect(back.searchParams.get('error')).to.equal('AUTH.OIDC_INVALID');
      } finally {
        provider.tamperIdTokens = false;
      }
    });

    it('sends the person back with AUTH.OIDC_DENIED when they decline at the provider', async () => {
      provider.deny = true;
      try {
        const back = await signInWithProvider(aPerson());
        expect(back.searchParams.get('error')).to.equal('AUTH.OIDC_DENIED');
        expect(back.searchParams.get('code')).to.equal(null);
      } finally {
        provider.deny = false;
      }
    });

    it('answers 503 AUTH.OIDC_PROVIDER_UNAVAILABLE for a provider that is down, 404 for an unknown one', async () => {
      const res = await send(app, 'GET', `/v1/auth/oidc/down/start?returnTo=${encodeURIComponent(RETURN_TO)}`);
      expectProblem(res, 503, 'AUTH.OIDC_PROVIDER_UNAVAILABLE');
      expect(res.headers.get('retry-after')).to.equal('5');
      const unknown = await send(app, 'GET', `/v1/auth/oidc/nope/start?returnTo=${encodeURIComponent(RETURN_TO)}`);
      expectProblem(unknown, 404, 'AUTH.OIDC_PROVIDER_UNKNOWN');
    });

    it('sends the person back with AUTH.OIDC_PROVIDER_UNAVAILABLE when the token endpoint fails', async () => {
      const b = browser();
      provider.signInAs(aPerson());
      const started = await b.get(startUrl());
      const { url } = await b.follow(started.headers.get('location') ?? '', `${API}/v1/auth/oidc/test/callback`);
      provider.failWith = 502;
      try {
        const back = await b.get(url);
        expect(new URL(back.headers.get('location') ?? '').searchParams.get('error')).to.equal(
          'AUTH.OIDC_PROVIDER_UNAVAILABLE',
        );
      } finally {
        provider.failWith = null;
      }
    });

    it('refuses a returnTo outside PUBLIC_APP_URL with 400', async () => {
      for (const returnTo of [
        'https://evil.example.com/x',
        `${APP_URL}.evil.com/`,
        'javascript:alert(1)',
        '/relative',
      ]) {
        const res = await send(app, 'GET', `/v1/auth/oidc/test/start?returnTo=${encodeURIComponent(returnTo)}`);
        expectProblem(res, 400, 'REQUEST.INVALID');
      }
    });

    it('refuses a disabled user: AUTH.ACCOUNT_DISABLED', async () => {
      const person = aPerson();
      const pair = await tokensFor(await signInWithProvider(person));
      const user = await meOf(pair.accessToken);
      const admin = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
      const patched = await send(app, 'PATCH', `/v1/users/${user.id}`, {
        token: admin,
        json: { status: 'disabled' },
        contentType: 'application/merge-patch+json',
      });
      expect(patched.status, patched.text).to.equal(200);
      const back = await signInWithProvider(person);
      expect(back.searchParams.get('error')).to.equal('AUTH.ACCOUNT_DISABLED');
    });
  });
}

describe('HTTP OpenID Connect sign-in with a provider that keeps the email out of the ID token', function () {
  this.timeout(20_000);
  let provider: TestProvider;
  const env: Record<string, string> = {};
  before(async () => {
    provider = await startTestProvider([`${API}/v1/auth/oidc/test/callback`], { emailInIdToken: false });
    Object.assign(env, {
      OIDC_PROVIDERS: 'test',
      OIDC_TEST_ISSUER: provider.issuer,
      OIDC_TEST_CLIENT_ID: provider.clientId,
      OIDC_TEST_CLIENT_SECRET: provider.clientSecret,
      OIDC_REDIRECT_BASE_URL: API,
    });
  });
  after(() => provider?.stop());
  const app = useAccountsApp(MEMORY_BACKEND, env);

  it('reads the email and whether it is verified from the userinfo endpoint', async () => {
    const person = aPerson();
    provider.signInAs(person);
    const b = new Browser({ [API]: app.url });
    const { url } = await b.follow(`${API}/v1/auth/oidc/test/start?returnTo=${encodeURIComponent(RETURN_TO)}`, APP_URL);
    const res = await send(app, 'POST', '/v1/auth/oidc/exchange', {
      json: { code: new URL(url).searchParams.get('code') },
    });
    expect(res.status, res.text).to.equal(200);
    const user = (await send(app, 'GET', '/v1/auth/me', { token: res.body.accessToken })).body.user;
    expect(user.email).to.equal(person.email);
    expect(user.emailVerifiedAt).to.be.a('string');
  });
});

async function expectProblemAnswer(res: Response, status: number, code: string) {
  const body = (await res.json()) as { code: string };
  expect(res.status).to.equal(status);
  expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(body.code).to.equal(code);
}
