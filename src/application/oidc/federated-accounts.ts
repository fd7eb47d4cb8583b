import { DomainError } from '../../domain/errors.js';
import { Identity, type ProvenIdentity } from '../../domain/oidc/identity.js';
import {
  oidcAlreadyLinked,
  oidcEmailMissing,
  oidcLinkRequired,
  oidcStateInvalid,
} from '../../domain/oidc/oidc-errors.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { IdGenerator } from '../../domain/ports/id-generator.js';
import type { IdentityStore } from '../../domain/ports/identity-store.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { accountDisabled } from '../../domain/session/session-errors.js';
import { Email } from '../../domain/user/email.js';
import { NO_PASSWORD } from '../../domain/user/password.js';
import { hasTotp, signInRefusal, User } from '../../domain/user/user.js';

/** A user who may sign in, or null for a deleted one (treated as no account); a disabled one is refused. */
function admitted(user: User | null): User | null {
  if (!user) return null;
  const refusal = signInRefusal(user);
  if (refusal === 'disabled') throw accountDisabled();
  return refusal === 'deleted' ? null : user;
}

/**
 * Which user a provider's sign-in is: the linked one; else an account with the same email when
 * both sides vouch for that email (the provider says `email_verified: true`, the account verified
 * it here) and the account has no second factor to skip; else a new account without a password.
 * An account with that email that does not qualify is refused (AUTH.OIDC_LINK_REQUIRED): its owner
 * signs in and links explicitly.
 */
export class FederatedAccounts {
  constructor(
    private readonly users: UserStore,
    private readonly identities: IdentityStore,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async signIn(provider: string, proven: ProvenIdentity): Promise<User> {
    const linked = await this.identities.findBySubject(provider, proven.subject);
    if (linked) {
      const user = await this.users.findById(linked.userId, { withDeleted: true });
      if (user) return this.linkedOwner(user);
      // Left behind by a user removed for good where nothing cascades (MongoDB): the account is free again.
      await this.identities.delete(linked.userId, provider);
    }
    if (!proven.email) throw oidcEmailMissing();
    const email = Email.parse(proven.email).value;
    const existing = admitted(await this.users.findByEmail(email));
    if (existing) {
      const vouched = proven.emailVerified && existing.emailVerifiedAt !== null && !hasTotp(existing);
      if (!vouched) throw oidcLinkRequired();
      await this.insert(existing.id, provider, proven);
      return existing;
    }
    return this.create(provider, proven, email);
  }

  /**
   * A soft-deleted user keeps their links for a restore, so their provider account cannot sign up
   * afresh meanwhile: it is refused as linked (to a user who is, for everyone else, gone).
   */
  private linkedOwner(user: User): User {
    const owner = admitted(user);
    if (!owner) throw oidcAlreadyLinked();
    return owner;
  }

  /** Links the provider account to the user who started linking (idempotent for the same pair). */
  async link(userId: string, provider: string, proven: ProvenIdentity): Promise<void> {
    if (!admitted(await this.users.findById(userId))) throw oidcStateInvalid();
    const linked = await this.identities.findBySubject(provider, proven.subject);
    if (linked?.userId === userId) return;
    if (linked) throw oidcAlreadyLinked();
    await this.insert(userId, provider, proven);
  }

  private async create(provider: string, proven: ProvenIdentity, email: string): Promise<User> {
    const now = this.clock.now();
    const name = (proven.name ?? '').trim().slice(0, 200) || (email.split('@')[0] ?? email);
    const user = new User(this.ids.next(), email, name, 'user', {}, NO_PASSWORD, now, now);
    user.emailVerifiedAt = proven.emailVerified ? now : null;
    await this.unitOfWork.run(async () => {
      await this.users.create(user).catch((error: unknown) => {
        // Taken meanwhile, or held by a deleted account: not this person's to claim on the provider's word.
        throw error instanceof DomainError && error.code === 'USER.EMAIL_TAKEN' ? oidcLinkRequired() : error;
      });
      await this.insert(user.id, provider, proven);
    });
    return user;
  }

  private async insert(userId: string, provider: string, proven: ProvenIdentity): Promise<void> {
    const identity = new Identity(this.ids.next(), userId, provider, proven.subject, proven.email, this.clock.now());
    if (!(await this.identities.insert(identity))) throw oidcAlreadyLinked();
  }
}
