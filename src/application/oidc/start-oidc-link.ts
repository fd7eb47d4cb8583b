import type { OidcProviders } from '../../domain/ports/oidc-providers.js';
import type { Actor } from '../../domain/user/user.js';
import type { AccountTokens } from '../accounts/account-tokens.js';
import type { OidcSettings } from './oidc-settings.js';
import { appUrlFor } from './return-to.js';

/**
 * Starts linking a provider to the signed-in user. The flow must start in the browser (its state
 * goes into a cookie of the API's origin), and a bearer token must never ride in a URL: so the
 * answer is the API's own start URL carrying a short-lived, single-use ticket bound to the user,
 * for the app to open in the browser.
 */
export class StartOidcLink {
  constructor(
    private readonly providers: Pick<OidcProviders, 'newChecks' | 'authorizationUrl'>,
    private readonly tokens: AccountTokens,
    private readonly settings: Pick<OidcSettings, 'publicAppUrl' | 'linkTtlSeconds' | 'apiBaseUrl'>,
  ) {}

  async execute(input: { actor: Actor; provider: string; returnTo: string }): Promise<{ location: string }> {
    const returnTo = appUrlFor(input.returnTo, this.settings.publicAppUrl).href;
    // Unknown or unreachable providers answer now, not after the browser was sent off.
    await this.providers.authorizationUrl(input.provider, this.providers.newChecks());
    const ticket = await this.tokens.issue({
      userId: input.actor.id,
      purpose: 'oidc-link',
      ttlSeconds: this.settings.linkTtlSeconds,
    });
    const start = new URL(`${this.settings.apiBaseUrl}/v1/auth/oidc/${encodeURIComponent(input.provider)}/start`);
    start.searchParams.set('returnTo', returnTo);
    start.searchParams.set('link', ticket);
    return { location: start.href };
  }
}
