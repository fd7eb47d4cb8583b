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
  issueAccessToken(subject: { id: string; role: Role }, sessionId?: string): Promise<IssuedToken>;
  /** Throws DomainError AUTH.UNAUTHENTICATED on any invalid, expired or tampered token. */
  verifyAccessToken(token: string): Promise<AccessClaims>;
  /** Public keys as a JWK Set. */
  jwks(): Promise<{ keys: object[] }>;
}
