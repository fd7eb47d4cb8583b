import type { AuthMethod } from '../session/refresh-token.js';
import type { Role } from '../user/role.js';

export interface AccessClaims {
  sub: string;
  role: Role;
  jti: string;
  /** The session (refresh-token family) the token belongs to, when issued through one. */
  sid?: string;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

export interface TokenService {
  /** `amr` (RFC 8176) says how the login was proven: `['pwd']` by default, `['pwd', 'otp']` after a second factor. */
  issueAccessToken(
    subject: { id: string; role: Role },
    sessionId?: string,
    amr?: readonly AuthMethod[],
  ): Promise<IssuedToken>;
  /** Throws DomainError AUTH.UNAUTHENTICATED on any invalid, expired or tampered token. */
  verifyAccessToken(token: string): Promise<AccessClaims>;
  /** Public keys as a JWK Set. */
  jwks(): Promise<{ keys: object[] }>;
}
