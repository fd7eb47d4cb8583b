/**
 * What an account token is for. The first three are mailed as links; `mfa-challenge` is answered by
 * a login that still needs its second factor; `recovery-code` holds one TOTP recovery code; and
 * `totp-step` marks one time step whose code was accepted, so the same code is not accepted twice.
 * `oidc-exchange` is the one-time code an OpenID sign-in hands the app for its tokens, `oidc-link`
 * the ticket that starts linking a provider to a signed-in user (docs/accounts.md).
 */
export const ACCOUNT_TOKEN_PURPOSES = [
  'verify-email',
  'reset-password',
  'change-email',
  'mfa-challenge',
  'recovery-code',
  'totp-step',
  'oidc-exchange',
  'oidc-link',
] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/**
 * A single-use secret about one user. Only `digest` (a keyed hash of the secret) is stored, so a
 * copy of the database yields no usable link. `email` is the address the token speaks for: the
 * one the link was mailed to (verify, reset) or the address to change to (change-email); null for
 * the others. A token stops working when it is used, when it expires, or when it is revoked.
 */
export class AccountToken {
  constructor(
    public id: string,
    public userId: string,
    public purpose: AccountTokenPurpose,
    public digest: string,
    public email: string | null,
    public createdAt: Date,
    public expiresAt: Date,
  ) {}
}
