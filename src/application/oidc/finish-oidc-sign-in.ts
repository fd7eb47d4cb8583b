import { DomainError } from '../../domain/errors.js';
import { oidcStateInvalid } from '../../domain/oidc/oidc-errors.js';
import type { OidcProviders } from '../../domain/ports/oidc-providers.js';
import type { AccountTokens } from '../accounts/account-tokens.js';
import type { FederatedAccounts } from './federated-accounts.js';
import type { OidcFlowSeal } from './oidc-flow.js';
import type { OidcSettings } from './oidc-settings.js';
import { withParameter } from './return-to.js';

/**
 * The provider's redirect back. Without a flow this browser started for this provider (cookie
 * missing, expired or altered), there is no `returnTo` to trust: it throws (a problem answer).
 * From there on every refusal goes back to the app: `returnTo?error=<problem code>`. Success is
 * `returnTo?code=<one-time code>` for a sign-in (POST /v1/auth/oidc/exchange turns it into tokens;
 * never tokens in a URL), `returnTo?linked=<provider>` for a link.
 */
export class FinishOidcSignIn {
  constructor(
    private readonly providers: Pick<OidcProviders, 'complete'>,
    private readonly accounts: FederatedAccounts,
    private readonly tokens: AccountTokens,
    private readonly seal: OidcFlowSeal,
    private readonly settings: Pick<OidcSettings, 'codeTtlSeconds'>,
  ) {}

  async execute(input: { provider: string; callbackUrl: URL; flow?: string }): Promise<{ location: string }> {
    const flow = this.seal.open(input.flow);
    if (!flow || flow.provider !== input.provider) throw oidcStateInvalid();
    try {
      // Checked here first so a forged or crossed answer is named as such, whatever the provider adds.
      if (input.callbackUrl.searchParams.get('state') !== flow.state) throw oidcStateInvalid();
      const proven = await this.providers.complete(flow.provider, input.callbackUrl, flow);
      if (flow.linkUserId) {
        await this.accounts.link(flow.linkUserId, flow.provider, proven);
        return { location: withParameter(flow.returnTo, 'linked', flow.provider) };
      }
      const user = await this.accounts.signIn(flow.provider, proven);
      const code = await this.tokens.issue({
        userId: user.id,
        purpose: 'oidc-exchange',
        ttlSeconds: this.settings.codeTtlSeconds,
      });
      return { location: withParameter(flow.returnTo, 'code', code) };
    } catch (error) {
      if (error instanceof DomainError) return { location: withParameter(flow.returnTo, 'error', error.code) };
      throw error;
    }
  }
}
