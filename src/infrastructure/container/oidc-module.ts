import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { oidcRoutes } from '../../adapters/http/routes/oidc.js';
import { OpenIdClientProviders } from '../../adapters/oidc/openid-client-providers.js';
import { AccountTokens } from '../../application/accounts/account-tokens.js';
import { ExchangeOidcCode } from '../../application/oidc/exchange-oidc-code.js';
import { FederatedAccounts } from '../../application/oidc/federated-accounts.js';
import { FinishOidcSignIn } from '../../application/oidc/finish-oidc-sign-in.js';
import { ListIdentities, UnlinkIdentity } from '../../application/oidc/linked-identities.js';
import { OidcFlowSeal } from '../../application/oidc/oidc-flow.js';
import type { OidcSettings } from '../../application/oidc/oidc-settings.js';
import { StartOidcLink } from '../../application/oidc/start-oidc-link.js';
import { StartOidcSignIn } from '../../application/oidc/start-oidc-sign-in.js';
import { StartSession } from '../../application/sessions/start-session.js';
import type { Config } from '../config.js';
import { bindIdentityStore } from './identity-stores.js';
import { TOKENS as T } from './tokens.js';

/**
 * OpenID Connect sign-in and linking: the configured providers (OIDC_*), the linked-identity store
 * on the configured database, the use cases and the routes (docs/accounts.md). The flow state is
 * sealed into a cookie with the SecretCipher; one-time codes and link tickets are account tokens.
 */
export function oidcModule(config: Config, logger: Logger): ContainerModule {
  const { oidc } = config;
  const settings: OidcSettings = {
    publicAppUrl: config.accounts.publicAppUrl,
    flowTtlSeconds: oidc.flowTtlSeconds,
    codeTtlSeconds: oidc.codeTtlSeconds,
    linkTtlSeconds: oidc.linkTtlSeconds,
    apiBaseUrl: oidc.redirectBaseUrl,
  };
  return new ContainerModule(async ({ bind }) => {
    await bindIdentityStore(bind, config.db.driver);
    bind(T.LinkedIdentities).toService(T.IdentityStore);
    bind(T.OidcProviders).toConstantValue(
      new OpenIdClientProviders(oidc.providers, {
        redirectBaseUrl: oidc.redirectBaseUrl,
        timeoutSeconds: oidc.timeoutSeconds,
        warn: (error, message) => logger.warn({ err: error }, message),
      }),
    );
    bind(OidcFlowSeal).toResolvedValue((...a) => new OidcFlowSeal(...a), [T.SecretCipher, T.Clock]);
    bind(FederatedAccounts).toResolvedValue(
      (...a) => new FederatedAccounts(...a),
      [T.UserStore, T.IdentityStore, T.IdGenerator, T.Clock, T.UnitOfWork],
    );
    bind(StartOidcSignIn).toResolvedValue(
      (...a) => new StartOidcSignIn(...a, settings),
      [T.OidcProviders, AccountTokens, OidcFlowSeal],
    );
    bind(StartOidcLink).toResolvedValue((...a) => new StartOidcLink(...a, settings), [T.OidcProviders, AccountTokens]);
    bind(FinishOidcSignIn).toResolvedValue(
      (...a) => new FinishOidcSignIn(...a, settings),
      [T.OidcProviders, FederatedAccounts, AccountTokens, OidcFlowSeal],
    );
    bind(ExchangeOidcCode).toResolvedValue(
      (...a) => new ExchangeOidcCode(...a),
      [AccountTokens, T.UserStore, StartSession, T.TokenService],
    );
    bind(ListIdentities).toResolvedValue((...a) => new ListIdentities(...a), [T.IdentityStore]);
    bind(UnlinkIdentity).toResolvedValue(
      (...a) => new UnlinkIdentity(...a),
      [T.IdentityStore, T.UserStore, T.PasskeyStore],
    );
    bind(T.Routes).toResolvedValue(
      (startSignIn, finishSignIn, exchange, startLink, listIdentities, unlink) => (api) =>
        oidcRoutes(api, {
          startSignIn,
          finishSignIn,
          exchange,
          startLink,
          listIdentities,
          unlink,
          secureCookie: oidc.redirectBaseUrl.startsWith('https:'),
        }),
      [StartOidcSignIn, FinishOidcSignIn, ExchangeOidcCode, StartOidcLink, ListIdentities, UnlinkIdentity],
    );
  });
}
