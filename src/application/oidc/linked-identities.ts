import type { Identity } from '../../domain/oidc/identity.js';
import { oidcLastSignInMethod, oidcNotLinked } from '../../domain/oidc/oidc-errors.js';
import type { IdentityStore } from '../../domain/ports/identity-store.js';
import type { PasskeyStore } from '../../domain/ports/passkey-store.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { hasPassword } from '../../domain/user/password.js';
import type { Actor } from '../../domain/user/user.js';

/** The signed-in user's linked provider accounts, oldest first. */
export class ListIdentities {
  constructor(private readonly identities: Pick<IdentityStore, 'listByUser'>) {}

  execute(input: { actor: Actor }): Promise<Identity[]> {
    return this.identities.listByUser(input.actor.id);
  }
}

/**
 * Unlinks a provider from the signed-in user, unless it is their last way in: no password, no
 * other linked provider and no passkey. (A user without a password gets one through a reset.)
 */
export class UnlinkIdentity {
  constructor(
    private readonly identities: IdentityStore,
    private readonly users: UserStore,
    private readonly passkeys: Pick<PasskeyStore, 'countByUser'>,
  ) {}

  async execute(input: { actor: Actor; provider: string }): Promise<void> {
    const mine = await this.identities.listByUser(input.actor.id);
    if (!mine.some((identity) => identity.provider === input.provider)) throw oidcNotLinked();
    if (mine.length === 1 && !(await this.otherWayIn(input.actor))) throw oidcLastSignInMethod();
    if (!(await this.identities.delete(input.actor.id, input.provider))) throw oidcNotLinked();
  }

  private async otherWayIn(actor: Actor): Promise<boolean> {
    const user = actor.self ?? (await this.users.findById(actor.id));
    if (user && hasPassword(user)) return true;
    return (await this.passkeys.countByUser(actor.id)) > 0;
  }
}
