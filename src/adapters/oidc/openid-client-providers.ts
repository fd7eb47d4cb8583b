import * as client from 'openid-client';
import type { DomainError } from '../../domain/errors.js';
import type { ProvenIdentity } from '../../domain/oidc/identity.js';
import { oidcProviderUnknown, oidcProviderUnavailable } from '../../domain/oidc/oidc-errors.js';
import type { AuthorizationChecks, OidcProviders } from '../../domain/ports/oidc-providers.js';
import { claimsOf, refusalOf } from './openid-client-answers.js';

export interface OidcProviderSettings {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface OpenIdClientOptions {
  /** `{redirectBaseUrl}/v1/auth/oidc/{name}/callback` is the redirect URI registered at each provider. */
  redirectBaseUrl: string;
  /** Each request to a provider (discovery, token, key set) gives up after this. */
  timeoutSeconds: number;
  /** Why a provider was unavailable or its answer refused (never shown to the client). */
  warn: (error: unknown, message: string) => void;
}

/** Plain HTTP only for a provider on this machine (development and tests); a rule refuses it in production. */
const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/**
 * The configured providers through openid-client 6. Each provider's metadata is discovered from
 * `{issuer}/.well-known/openid-configuration` when first needed and kept; a failed discovery is not
 * kept, so the next request tries again. ID tokens are verified against the provider's key set
 * (non-repudiation checks: openid-client skips the signature of a token-endpoint ID token by default).
 */
export class OpenIdClientProviders implements OidcProviders {
  private readonly settings: Map<string, OidcProviderSettings>;
  private readonly configurations = new Map<string, Promise<client.Configuration>>();

  constructor(
    providers: readonly OidcProviderSettings[],
    private readonly options: OpenIdClientOptions,
  ) {
    this.settings = new Map(providers.map((p) => [p.name, p]));
  }

  newChecks(): AuthorizationChecks {
    return { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
  }

  async authorizationUrl(provider: string, checks: AuthorizationChecks): Promise<string> {
    const configuration = await this.configuration(provider);
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(provider),
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    });
    return url.href;
  }

  async complete(provider: string, callbackUrl: URL, checks: AuthorizationChecks): Promise<ProvenIdentity> {
    const configuration = await this.configuration(provider);
    // The provider redirected to the registered URI; the request's own host is not trusted for it.
    const answer = new URL(this.redirectUri(provider));
    answer.search = callbackUrl.search;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, answer, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      // Some providers put only `sub` in the ID token and the rest at the userinfo endpoint.
      const userInfo =
        claims && typeof claims.email !== 'string' && configuration.serverMetadata().userinfo_endpoint
          ? await client.fetchUserInfo(configuration, tokens.access_token, claims.sub)
          : undefined;
      return claimsOf(claims, userInfo);
    } catch (error) {
      throw this.refused(provider, error, 'OpenID sign-in refused');
    }
  }

  private redirectUri(provider: string): string {
    return `${this.options.redirectBaseUrl}/v1/auth/oidc/${provider}/callback`;
  }

  private configuration(provider: string): Promise<client.Configuration> {
    const settings = this.settings.get(provider);
    if (!settings) return Promise.reject(oidcProviderUnknown());
    let found = this.configurations.get(provider);
    if (!found) {
      found = this.discover(settings);
      this.configurations.set(provider, found);
      found.catch(() => this.configurations.delete(provider));
    }
    return found;
  }

  private async discover(settings: OidcProviderSettings): Promise<client.Configuration> {
    const issuer = new URL(settings.issuer);
    const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
    try {
      const configuration = await client.discovery(
        issuer,
        settings.clientId,
        undefined,
        client.ClientSecretBasic(settings.clientSecret),
        { execute: insecure ? [client.allowInsecureRequests] : [], timeout: this.options.timeoutSeconds },
      );
      configuration.timeout = this.options.timeoutSeconds;
      client.enableNonRepudiationChecks(configuration);
      return configuration;
    } catch (error) {
      this.options.warn(error, `OpenID provider ${settings.name}: discovery failed`);
      throw oidcProviderUnavailable();
    }
  }

  private refused(provider: string, error: unknown, message: string): DomainError {
    const refusal = refusalOf(error);
    this.options.warn(error, `OpenID provider ${provider}: ${message} (${refusal.code})`);
    return refusal;
  }
}
