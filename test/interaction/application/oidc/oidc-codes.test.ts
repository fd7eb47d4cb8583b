import { expect } from 'chai';
import sinon from 'sinon';
import { ExchangeOidcCode } from '../../../../src/application/oidc/exchange-oidc-code.js';
import { StartOidcSignIn } from '../../../../src/application/oidc/start-oidc-sign-in.js';
import type { OidcFlowSeal } from '../../../../src/application/oidc/oidc-flow.js';
import type { StartSession } from '../../../../src/application/sessions/start-session.js';
import { oidcProviderUnavailable } from '../../../../src/domain/oidc/oidc-errors.js';
import type { OidcProviders } from '../../../../src/domain/ports/oidc-providers.js';
import { User } from '../../../../src/domain/user/user.js';
import { anAccountToken } from '../../../support/account-tokens.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubAccountTokens, stubTokens, stubUserStore } from '../../../support/stubs.js';

const then = new Date('2025-06-01T00:00:00Z');
const grace = () => new User('grace', 'grace@example.com', 'Grace', 'user', {}, '', then, then, then);

function anExchange() {
  const tokens = stubAccountTokens();
  const users = stubUserStore();
  const sessions = { execute: sinon.stub().resolves({ familyId: 'f', refreshToken: 'r' }) };
  const accessTokens = stubTokens();
  const exchange = new ExchangeOidcCode(tokens, users, sessions as unknown as StartSession, accessTokens);
  return { tokens, users, sessions, accessTokens, exchange };
}

describe('ExchangeOidcCode (interactions)', () => {
  afterEach(() => sinon.restore());

  it('spends the code before it opens the session, which says amr ["fed"]', async () => {
    const { tokens, users, sessions, accessTokens, exchange } = anExchange();
    tokens.find.resolves(anAccountToken('grace', { purpose: 'oidc-exchange' }));
    users.findById.resolves(grace());
    await exchange.execute({ code: 'oc_secret' });
    expect(tokens.find.firstCall.args).to.deep.equal(['oc_secret', 'oidc-exchange']);
    sinon.assert.callOrder(tokens.consume, users.findById, sessions.execute, accessTokens.issueAccessToken);
    expect(sessions.execute.firstCall.args).to.deep.equal(['grace', ['fed']]);
    expect(accessTokens.issueAccessToken.firstCall.args[2]).to.deep.equal(['fed']);
  });

  it('opens nothing when another request spent the code first', async () => {
    const { tokens, sessions, exchange } = anExchange();
    tokens.find.resolves(anAccountToken('grace', { purpose: 'oidc-exchange' }));
    tokens.consume.resolves(false);
    expect((await rejectionOf(exchange.execute({ code: 'oc_secret' }))).code).to.equal('AUTH.TOKEN_INVALID');
    sinon.assert.notCalled(sessions.execute);
  });
});

describe('StartOidcSignIn (interactions)', () => {
  afterEach(() => sinon.restore());

  it('spends a link ticket only once the provider answered: a provider that is down leaves it usable', async () => {
    const tokens = stubAccountTokens();
    tokens.find.resolves(anAccountToken('grace', { purpose: 'oidc-link' }));
    const providers = {
      newChecks: sinon.stub().returns({ state: 's', nonce: 'n', codeVerifier: 'v' }),
      authorizationUrl: sinon.stub().rejects(oidcProviderUnavailable()),
      complete: sinon.stub(),
    } satisfies OidcProviders;
    const seal = { seal: sinon.stub().returns('sealed'), open: sinon.stub() } as unknown as OidcFlowSeal;
    const start = new StartOidcSignIn(providers, tokens, seal, {
      publicAppUrl: 'https://app.example.com',
      flowTtlSeconds: 600,
    });
    const input = { provider: 'test', returnTo: 'https://app.example.com/x', link: 'ol_ticket' };
    expect((await rejectionOf(start.execute(input))).code).to.equal('AUTH.OIDC_PROVIDER_UNAVAILABLE');
    sinon.assert.notCalled(tokens.consume);

    providers.authorizationUrl.resolves('https://idp.example/authorize');
    expect(await start.execute(input)).to.deep.equal({
      location: 'https://idp.example/authorize',
      flow: 'sealed',
      ttlSeconds: 600,
    });
    sinon.assert.calledOnce(tokens.consume);
    expect((seal.seal as sinon.SinonStub).firstCall.args[0]).to.include({ linkUserId: 'grace', provider: 'test' });
  });
});
