/**
 * RFC 8176 authentication method references: a password, a one-time code (TOTP or recovery code), a
 * proof of possession of a hardware-bound (`hwk`) or synced software (`swk`) key, a user presence
 * test (`user`), and `mfa` when the key's authenticator also verified the user (PIN, biometrics).
 * `fed` (not in RFC 8176's registry, which has no value for it): an OpenID provider signed the
 * user in; what the provider itself checked is its own business and is not passed on.
 */
export const AUTH_METHODS = ['pwd', 'otp', 'hwk', 'swk', 'user', 'mfa', 'fed'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/**
 * One refresh token of a session family. Only a digest of the token is kept. A token is spent
 * once; presenting it again after the grace window means it was stolen, so the family is revoked.
 */
export class RefreshToken {
  constructor(
    public id: string,
    public familyId: string,
    public userId: string,
    public tokenDigest: string,
    public createdAt: Date,
    public expiresAt: Date,
    public spentAt: Date | null = null,
    public revokedAt: Date | null = null,
    /** How the session's login was proven (RFC 8176 values); every token of a family carries its first one's. */
    public amr: AuthMethod[] = ['pwd'],
  ) {}
}
