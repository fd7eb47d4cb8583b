/**
 * An account at an OpenID provider linked to a user: `subject` is the provider's stable `sub` for
 * that account, unique per provider. `email` is what the provider said when it was linked, kept to
 * show the user which account it is; it is never used to sign in.
 */
export class Identity {
  constructor(
    public id: string,
    public userId: string,
    public provider: string,
    public subject: string,
    public email: string | null,
    public createdAt: Date,
  ) {}
}

/** What a provider proved about the person at the end of a sign-in (from its validated ID token). */
export interface ProvenIdentity {
  subject: string;
  email: string | null;
  /** Only an explicit `email_verified: true` counts. */
  emailVerified: boolean;
  name: string | null;
}
