/**
 * Identities from other providers (OpenID Connect) linked to a user: another way in. Passkeys ask it
 * before removing a user's last passkey, so a user is never left without a way to sign in.
 */
export interface LinkedIdentities {
  countByUser(userId: string): Promise<number>;
}
