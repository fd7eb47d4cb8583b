import { expect } from 'chai';
import { claimsOf } from '../../support/accounts-app.js';
import { MEMORY_BACKEND, SQL_BACKENDS, usePortico } from '../../support/backends.js';
import { aSignedInUser, expectProblem, send } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import {
  anAuthenticator,
  PASSKEY_ENV,
  registerWith,
  setStatus,
  signInBody,
  signInWith,
} from '../../support/passkeys.js';

/** Passkeys over HTTP with a software authenticator: the answers a browser never sends, on every backend. */
for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP passkeys on ${backend.name}`, function () {
    const app = usePortico(backend, PASSKEY_ENV);

    it('registers a passkey, signs in with it (amr hwk, user, mfa) and lists it with its last use', async () => {
      const user = await aSignedInUser(app);
      const authenticator = anAuthenticator();
      const created = await registerWith(app, user.token, authenticator, { name: 'Laptop' });
      expect(created.status, created.text).to.equal(201);
      expect(created.body).to.deep.include({
        id: authenticator.id,
        name: 'Laptop',
        lastUsedAt: null,
        transports: ['internal'],
        backedUp: false,
        deviceType: 'singleDevice',
      });
      const signedIn = await signInWith(app, authenticator);
      expect(signedIn.status, signedIn.text).to.equal(200);
      expect(Object.keys(signedIn.body).sort()).to.deep.equal([
        'accessToken',
        'expiresIn',
        'refreshToken',
        'tokenType',
      ]);
      expect(claimsOf(signedIn.body.accessToken as string)).to.deep.include({
        sub: user.id,
        amr: ['hwk', 'user', 'mfa'],
      });
      const me = await send(app, 'GET', '/v1/auth/me', { token: signedIn.body.accessToken as string });
      expect(me.body.user.id).to.equal(user.id);
      const listed = await send(app, 'GET', '/v1/auth/passkeys', { token: user.token });
      expect(listed.status, listed.text).to.equal(200);
      expect(listed.body.items).to.have.length(1);
      expect(listed.body.items[0].lastUsedAt).to.be.a('string');
      const refreshed = await send(app, 'POST', '/v1/auth/refresh', {
        json: { refreshToken: signedIn.body.refreshToken },
      });
      expect(refreshed.status, refreshed.text).to.equal(200);
      expect(claimsOf(refreshed.body.accessToken as string).amr).to.deep.equal(['hwk', 'user', 'mfa']);
    });

    it('says swk for a synced passkey, and leaves mfa out without user verification', async () => {
      const user = await aSignedInUser(app);
      const synced = anAuthenticator({ synced: true, userVerified: false });
      expect((await registerWith(app, user.token, synced)).body).to.include({
        backedUp: true,
        deviceType: 'multiDevice',
        name: 'Passkey',
      });
      const signedIn = await signInWith(app, synced);
      expect(signedIn.status, signedIn.text).to.equal(200);
      expect(claimsOf(signedIn.body.accessToken as string).amr).to.deep.equal(['swk', 'user']);
    });

    it('spends a challenge once: the same answer sent again is refused', async () => {
      const user = await aSignedInUser(app);
      const authenticator = anAuthenticator();
      await registerWith(app, user.token, authenticator);
      const body = await signInBody(app, authenticator);
      expect((await send(app, 'POST', '/v1/auth/passkeys/login', { json: body })).status).to.equal(200);
      expectProblem(
        await send(app, 'POST', '/v1/auth/passkeys/login', { json: body }),
        400,
        'AUTH.PASSKEY_CHALLENGE_INVALID',
      );
    });

    it('refuses a counter that went backwards, and one that stood still', async () => {
      const user = await aSignedInUser(app);
      const authenticator = anAuthenticator();
      await registerWith(app, user.token, authenticator);
      expect((await signInWith(app, authenticator, { counter: 5 })).status).to.equal(200);
      expectProblem(await signInWith(app, authenticator, { counter: 3 }), 401, 'AUTH.PASSKEY_INVALID');
      expectProblem(await signInWith(app, authenticator, { counter: 5 }), 401, 'AUTH.PASSKEY_INVALID');
      expect((await signInWith(app, authenticator, { counter: 6 })).status).to.equal(200);
    });

    it('refuses an origin or an RP ID that is not the configured one, at registration and at sign-in', async () => {
      const user = await aSignedInUser(app);
      const authenticator = anAuthenticator();
      const elsewhere = { claims: { origin: 'http://localhost:9999' } };
      expectProblem(
        await registerWith(app, user.token, authenticator, elsewhere),
        400,
        'AUTH.PASSKEY_REGISTRATION_INVALID',
      );
      const otherRp = { claims: { rpId: 'example.com' } };
      expectProblem(
        await registerWith(app, user.token, authenticator, otherRp),
        400,
        'AUTH.PASSKEY_REGISTRATION_INVALID',
      );
      expect((await registerWith(app, user.token, authenticator)).status).to.equal(201);
      expectProblem(
        await signInWith(app, authenticator, { origin: 'http://localhost:9999' }),
        401,
        'AUTH.PASSKEY_INVALID',
      );
      expectProblem(await signInWith(app, authenticator, { rpId: 'example.com' }), 401, 'AUTH.PASSKEY_INVALID');
    });

    it('binds a registration challenge to its user, and a sign-in challenge to sign-in', async () => {
      const [alice, bob] = [await aSignedInUser(app), await aSignedInUser(app)];
      const authenticator = anAuthenticator();
      const options = await send(app, 'POST', '/v1/auth/passkeys/register/options', { token: alice.token });
      const response = authenticator.create(options.body as never);
      const asBob = await send(app, 'POST', '/v1/auth/passkeys/register', { token: bob.token, json: { response } });
      expectProblem(asBob, 400, 'AUTH.PASSKEY_CHALLENGE_INVALID');
      const signInOptions = await send(app, 'POST', '/v1/auth/passkeys/login/options');
      const fromSignIn = authenticator.create({ ...(signInOptions.body as { challenge: string }), user: { id: 'eA' } });
      const wrongCeremony = await send(app, 'POST', '/v1/auth/passkeys/register', {
        token: alice.token,
        json: { response: fromSignIn },
      });
      expectProblem(wrongCeremony, 400, 'AUTH.PASSKEY_CHALLENGE_INVALID');
    });

    it('answers creation options for a discoverable credential that exclude the registered ones', async () => {
      const user = await aSignedInUser(app);
      const authenticator = anAuthenticator();
      await registerWith(app, user.token, authenticator);
      const options = await send(app, 'POST', '/v1/auth/passkeys/register/options', { token: user.token });
      expect(options.body.rp).to.deep.equal({ id: 'localhost', name: 'Portico' });
      expect(options.body.authenticatorSelection).to.deep.include({
        residentKey: 'required',
        userVerification: 'preferred',
      });
      expect(options.body.excludeCredentials).to.deep.equal([
        { id: authenticator.id, type: 'public-key', transports: ['internal'] },
      ]);
      expect(Buffer.from(options.body.user.id as string, 'base64url').toString()).to.equal(user.id);
      const again = await registerWith(app, user.token, authenticator);
      expectProblem(again, 409, 'AUTH.PASSKEY_EXISTS');
      const request = await send(app, 'POST', '/v1/auth/passkeys/login/options');
      expect(request.body).to.deep.include({ rpId: 'localhost', allowCredentials: [], userVerification: 'preferred' });
    });

    it("removes the caller's own passkey only; a removed passkey no longer signs in", async () => {
      const [alice, bob] = [await aSignedInUser(app), await aSignedInUser(app)];
      const authenticator = anAuthenticator();
      await registerWith(app, alice.token, authenticator);
      const path = `/v1/auth/passkeys/${authenticator.id}`;
      expectProblem(await send(app, 'DELETE', path, { token: bob.token }), 404, 'AUTH.PASSKEY_NOT_FOUND');
      expectProblem(
        await send(app, 'DELETE', '/v1/auth/passkeys/bm9uZQ', { token: alice.token }),
        404,
        'AUTH.PASSKEY_NOT_FOUND',
      );
      expectProblem(
        await send(app, 'DELETE', '/v1/auth/passkeys/not%20base64', { token: alice.token }),
        404,
        'AUTH.PASSKEY_NOT_FOUND',
      );
      expect((await send(app, 'DELETE', path, { token: alice.token })).status).to.equal(204);
      expect((await send(app, 'GET', '/v1/auth/passkeys', { token: alice.token })).body.items).to.deep.equal([]);
      expectProblem(await signInWith(app, authenticator), 401, 'AUTH.PASSKEY_INVALID');
    });

    it('refuses a disabled user (403) and a deleted one (as an unknown passkey)', async () => {
      const [disabled, deleted] = [await aSignedInUser(app), await aSignedInUser(app)];
      const [one, two] = [anAuthenticator(), anAuthenticator()];
      await registerWith(app, disabled.token, one);
      await registerWith(app, deleted.token, two);
      await setStatus(app, disabled.id, 'disabled');
      expectProblem(await signInWith(app, one), 403, 'AUTH.ACCOUNT_DISABLED');
      await setStatus(app, disabled.id, 'active');
      expect((await signInWith(app, one)).status).to.equal(200);
      expect((await send(app, 'DELETE', `/v1/users/${deleted.id}`, { token: deleted.token })).status).to.equal(204);
      expectProblem(await signInWith(app, two), 401, 'AUTH.PASSKEY_INVALID');
    });

    it('refuses bodies that are not a browser answer, and routes without a token', async () => {
      const user = await aSignedInUser(app);
      const authenticator = anAuthenticator();
      const body = await signInBody(app, authenticator);
      const extra = await send(app, 'POST', '/v1/auth/passkeys/login', { json: { ...body, email: user.email } });
      expectProblem(extra, 400, 'REQUEST.INVALID');
      const operator = { response: { ...body.response, id: { $ne: null } } };
      expectProblem(await send(app, 'POST', '/v1/auth/passkeys/login', { json: operator }), 400, 'REQUEST.INVALID');
      const unknown = await send(app, 'POST', '/v1/auth/passkeys/login', { json: body });
      expectProblem(unknown, 401, 'AUTH.PASSKEY_INVALID');
      for (const [method, path] of [
        ['POST', '/v1/auth/passkeys/register/options'],
        ['POST', '/v1/auth/passkeys/register'],
        ['GET', '/v1/auth/passkeys'],
        ['DELETE', `/v1/auth/passkeys/${authenticator.id}`],
      ] as const) {
        expectProblem(await send(app, method, path, method === 'GET' ? {} : { json: {} }), 401, 'AUTH.UNAUTHENTICATED');
      }
    });
  });
}

describe('HTTP passkeys: throttling', function () {
  const app = usePortico(MEMORY_BACKEND, { ...PASSKEY_ENV, LOGIN_MAX_FAILURES_PER_CLIENT: '3' });

  it('throttles sign-in options per client like logins; a sign-in gives its attempt back', async () => {
    const user = await aSignedInUser(app);
    const authenticator = anAuthenticator();
    await registerWith(app, user.token, authenticator);
    for (let i = 0; i < 5; i++) expect((await signInWith(app, authenticator)).status).to.equal(200);
    for (let i = 0; i < 3; i++)
      expect((await send(app, 'POST', '/v1/auth/passkeys/login/options')).status).to.equal(200);
    const throttled = await send(app, 'POST', '/v1/auth/passkeys/login/options');
    expectProblem(throttled, 429, 'AUTH.THROTTLED');
    expect(Number(throttled.headers.get('retry-after'))).to.be.greaterThan(0);
  });
});
