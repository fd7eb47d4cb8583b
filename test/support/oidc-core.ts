import { Writable } from 'node:stream';
import type { ServiceIdentifier } from 'inversify';
import { ExchangeOidcCode } from '../../src/application/oidc/exchange-oidc-code.js';
import { FinishOidcSignIn } from '../../src/application/oidc/finish-oidc-sign-in.js';
import { ListIdentities, UnlinkIdentity } from '../../src/application/oidc/linked-identities.js';
import { StartOidcLink } from '../../src/application/oidc/start-oidc-link.js';
import { StartOidcSignIn } from '../../src/application/oidc/start-oidc-sign-in.js';
import { RegisterUser } from '../../src/application/users/register-user.js';
import type { ProvenIdentity } from '../../src/domain/oidc/identity.js';
import { oidcProviderUnknown } from '../../src/domain/oidc/oidc-errors.js';
import type { AuthorizationChecks, OidcProviders } from '../../src/domain/ports/oidc-providers.js';
import { parseConfig } from '../../src/infrastructure/config.js';
import { buildContainer } from '../../src/infrastructure/container/build-container.js';
import { TOKENS as T } from '../../src/infrastructure/container/tokens.js';
import { createLogger } from '../../src/infrastructure/logging.js';
import { FakeHasher, ManualClock, newPrivateKeyPem } from './fakes.js';

const silent = createLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));

/** The provider `test` without a network: it signs in whoever the test says, or fails as the test says. */
export class FakeProviders implements OidcProviders {
  next: ProvenIdentity | Error = { subject: 'nobody', email: null, emailVerified: false, name: null };
  private counter = 0;
  readonly completed: AuthorizationChecks[] = [];

  newChecks(): AuthorizationChecks {
    const n = ++this.counter;
    return { state: `state-${n}`, nonce: `nonce-${n}`, codeVerifier: `verifier-${n}` };
  }

  async authorizationUrl(provider: string, checks: AuthorizationChecks): Promise<string> {
    if (provider !== 'test') throw oidcProviderUnknown();
    return `https://idp.example/authorize?state=${checks.state}`;
  }

  async complete(provider: string, _callbackUrl: URL, checks: AuthorizationChecks): Promise<ProvenIdentity> {
    if (provider !== 'test') throw oidcProviderUnknown();
    this.completed.push(checks);
    if (this.next instanceof Error) throw this.next;
    return this.next;
  }
}

/** The OpenID Connect use cases from the real composition root on the memory stores, a clock the test moves. */
export async function anOidcCore() {
  const clock = new ManualClock();
  const providers = new FakeProviders();
  const passkeys = { count: 0 };
  const config = parseConfig({
    PUBLIC_APP_URL: 'https://app.example.com/portal',
    DB_DRIVER: 'memory',
    FILE_STORE: 'memory',
    JWT_PRIVATE_KEY: newPrivateKeyPem(),
    OIDC_REDIRECT_BASE_URL: 'https://api.example.com',
  });
  const container = await buildContainer(config, silent, {
    override: (c) => {
      c.rebind(T.Clock).toConstantValue(clock);
      c.rebind(T.PasswordHasher).toConstantValue(new FakeHasher());
      c.rebind(T.OidcProviders).toConstantValue(providers);
      c.rebind(T.PasskeyStore).toConstantValue({ countByUser: async () => passkeys.count } as never);
    },
  });
  const get = <S>(id: ServiceIdentifier<S>) => container.getAsync(id);
  return {
    clock,
    providers,
    passkeys,
    users: await get(T.UserStore),
    identities: await get(T.IdentityStore),
    tokens: await get(T.TokenService),
    register: await get(RegisterUser),
    start: await get(StartOidcSignIn),
    finish: await get(FinishOidcSignIn),
    exchange: await get(ExchangeOidcCode),
    startLink: await get(StartOidcLink),
    list: await get(ListIdentities),
    unlink: await get(UnlinkIdentity),
  };
}
