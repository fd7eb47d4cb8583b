import { oidcStateInvalid } from '../../domain/oidc/oidc-errors.js';
import type { OidcProviders } from '../../domain/ports/oidc-providers.js';
import type { AccountTokens } from '../accounts/account-tokens.js';
import type { OidcFlowSeal } from './oidc-flow.js';
import type { OidcSettings } from './oidc-settings.js';
import { appUrlFor } from './return-to.js';

export interface StartedSignIn {
  /** The provider's authorization URL. */
  location: string;
  /** The sealed flow, for the browser to bring back to the callback. */
  flow: string;
  ttlSeconds: number;
}

/**
 * Starts an authorization code flow with PKCE (S256), state and nonce. `link` is a ticket from
 * StartOidcLink: spent here, it makes the flow link the provider to its user instead of signing in.
 */
export class StartOidcSignIn {
  constructor(
    private readonly providers: OidcProviders,
    private readonly tokens: AccountTokens,
    private readonly seal: OidcFlowSeal,
    private readonly settings: Pick<OidcSettings, 'publicAppUrl' | 'flowTtlSeconds'>,
  ) {}

  async execute(input: { provider: string; returnTo: string; link?: string }): Promise<StartedSignIn> {
    const returnTo = appUrlFor(input.returnTo, this.settings.publicAppUrl).href;
    const checks = this.providers.newChecks();
    const location = await this.providers.authorizationUrl(input.provider, checks);
    const linkUserId = input.link ? await this.spendTicket(input.link) : null;
    const flow = this.seal.seal(
      { ...checks, provider: input.provider, returnTo, linkUserId },
      this.settings.flowTtlSeconds,
    );
    return { location, flow, ttlSeconds: this.settings.flowTtlSeconds };
  }

  private async spendTicket(ticket: string): Promise<string> {
    const token = await this.tokens.find(ticket, 'oidc-link');
    if (!token || !(await this.tokens.consume(token))) throw oidcStateInvalid();
    return token.userId;
  }
}
