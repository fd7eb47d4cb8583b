import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { claimsOf } from '../../support/accounts-app.js';
import { MEMORY_BACKEND, SQL_BACKENDS, type Backend } from '../../support/backends.js';
import { aTabWithAuthenticator, useChromium } from '../../support/chromium.js';
import { aSignedInUser, send, type Answer } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { servePasskeyPage, type PasskeyPage } from '../../support/passkey-page.js';
import { setStatus } from '../../support/passkeys.js';
import { startPortico, type Portico } from '../../support/portico.js';

type PageAnswer = Pick<Answer, 'status'> & { body: any };

/** What the page's client code answered: the API's status and body. */
const inPage = {
  register: (page: Page, token: string, name?: string): Promise<PageAnswer> =>
    page.evaluate(([t, n]) => (window as any).passkeys.register(t, n), [token, name] as const),
  signIn: (page: Page): Promise<PageAnswer> => page.evaluate(() => (window as any).passkeys.signIn()),
  call: (page: Page, method: string, path: string, token?: string): Promise<PageAnswer> =>
    page.evaluate(([m, p, t]) => (window as any).passkeys.call(m, p, t), [method, path, token] as const),
};

/**
 * The whole app on `backend` with two test pages on loopback: the configured one (RP ID localhost,
 * its origin the one expected) and another origin that is not configured. Both may call the API (CORS).
 */
function usePasskeyApp(backend: Backend) {
  const under = {} as { app: Portico; good: PasskeyPage; other: PasskeyPage };
  let dispose = async () => {};
  before(async function () {
    const prepared = await backend.prepare(this);
    dispose = prepared.dispose;
    under.good = await servePasskeyPage();
    under.other = await servePasskeyPage();
    under.app = await startPortico({
      ...prepared.env,
      WEBAUTHN_RP_ID: 'localhost',
      WEBAUTHN_ORIGINS: under.good.origin,
      CORS_ORIGINS: `${under.good.origin},${under.other.origin}`,
    });
  });
  after(async () => {
    await under.app?.stop();
    await under.good?.close();
    await under.other?.close();
    await dispose();
  });
  return under;
}

describe('Passkeys in Chromium (headless, virtual authenticator)', function () {
  const browserOf = useChromium();

  for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
    describe(`on ${backend.name}`, function () {
      this.timeout(30_000);
      const under = usePasskeyApp(backend);
      let page: Page;
      beforeEach(async () => {
        page = await aTabWithAuthenticator(browserOf());
      });
      afterEach(async () => page?.context().close());

      const open = (origin: string, tab = page) => tab.goto(`${origin}/?api=${encodeURIComponent(under.app.url)}`);

      it('registers a passkey while signed in, signs in with it (no email), lists it, removes it', async () => {
        const user = await aSignedInUser(under.app);
        await open(under.good.origin);
        const created = await inPage.register(page, user.token, 'This laptop');
        expect(created.status, JSON.stringify(created.body)).to.equal(201);
        expect(created.body).to.include({ name: 'This laptop', lastUsedAt: null, deviceType: 'singleDevice' });
        expect(created.body.transports).to.deep.equal(['internal']);

        const signedIn = await inPage.signIn(page);
        expect(signedIn.status, JSON.stringify(signedIn.body)).to.equal(200);
        expect(signedIn.body).to.have.keys('accessToken', 'tokenType', 'expiresIn', 'refreshToken');
        const claims = claimsOf(signedIn.body.accessToken as string);
        expect(claims.sub).to.equal(user.id);
        expect(claims.amr).to.deep.equal(['hwk', 'user', 'mfa']);

        const listed = await inPage.call(page, 'GET', '/v1/auth/passkeys', signedIn.body.accessToken as string);
        expect(listed.status).to.equal(200);
        expect(listed.body.items).to.have.length(1);
        expect(listed.body.items[0]).to.include({ id: created.body.id, name: 'This laptop' });
        expect(Date.parse(listed.body.items[0].lastUsedAt as string)).to.be.closeTo(Date.now(), 60_000);

        const removed = await inPage.call(page, 'DELETE', `/v1/auth/passkeys/${created.body.id as string}`, user.token);
        expect(removed.status).to.equal(204);
        const refused = await inPage.signIn(page);
        expect(refused.status).to.equal(401);
        expect(refused.body.code).to.equal('AUTH.PASSKEY_INVALID');
      });

      it('refuses a page on an origin that is not configured, at sign-in and at registration', async () => {
        const user = await aSignedInUser(under.app);
        await open(under.good.origin);
        expect((await inPage.register(page, user.token)).status).to.equal(201);
        await open(under.other.origin);
        const signIn = await inPage.signIn(page);
        expect(signIn.status).to.equal(401);
        expect(signIn.body.code).to.equal('AUTH.PASSKEY_INVALID');
        await open(under.good.origin);
        expect((await inPage.signIn(page)).status).to.equal(200);
        // Another authenticator: this one would refuse, as the options exclude its registered credential.
        const otherTab = await aTabWithAuthenticator(browserOf());
        try {
          await open(under.other.origin, otherTab);
          const elsewhere = await inPage.register(otherTab, user.token);
          expect(elsewhere.status).to.equal(400);
          expect(elsewhere.body.code).to.equal('AUTH.PASSKEY_REGISTRATION_INVALID');
        } finally {
          await otherTab.context().close();
        }
        const listed = await send(under.app, 'GET', '/v1/auth/passkeys', { token: user.token });
        expect(listed.body.items).to.have.length(1);
      });

      it('refuses the passkey of a disabled user with 403 AUTH.ACCOUNT_DISABLED', async () => {
        const user = await aSignedInUser(under.app);
        await open(under.good.origin);
        expect((await inPage.register(page, user.token)).status).to.equal(201);
        await setStatus(under.app, user.id, 'disabled');
        const refused = await inPage.signIn(page);
        expect(refused.status).to.equal(403);
        expect(refused.body.code).to.equal('AUTH.ACCOUNT_DISABLED');
        const me = await send(under.app, 'GET', '/v1/auth/me', { token: user.token });
        expect(me.status).to.equal(401);
      });
    });
  }
});
