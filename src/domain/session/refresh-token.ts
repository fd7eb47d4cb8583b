/** RFC 8176 authentication method references: a password, and a one-time code (TOTP or recovery code). */
export type AuthMethod = 'pwd' | 'otp';

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
