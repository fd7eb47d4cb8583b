import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload, type JWTHeaderParameters } from 'jose';
import { unauthenticated } from '../../domain/errors.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { AccessClaims, IssuedToken, TokenService } from '../../domain/ports/token-service.js';
import type { AuthMethod } from '../../domain/session/refresh-token.js';
import { ROLES, type Role } from '../../domain/user/role.js';
import type { SigningKey } from './signing-key.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

export interface JoseTokenServiceOptions {
  /** The first key signs; all of them verify and are published (rotation keeps old ones a while). */
  keys: () => SigningKey[];
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  clock: Clock;
  /** Tokens remembered as verified (until their `exp`); 10,000 when absent, 0 turns the cache off. */
  verifiedCacheSize?: number;
}

const ACCESS_TYP = 'at+jwt';

export class JoseTokenService implements TokenService {
  private readonly verified: VerifiedTokenCache;

  constructor(private readonly options: JoseTokenServiceOptions) {
    this.verified = new VerifiedTokenCache(options.verifiedCacheSize ?? 10_000);
  }

  async issueAccessToken(
    subject: { id: string; role: Role },
    sessionId?: string,
    amr: readonly AuthMethod[] = ['pwd'],
  ): Promise<IssuedToken> {
    const [key] = this.options.keys();
    if (!key) throw new Error('no signing key loaded');
    const now = Math.floor(this.options.clock.now().getTime() / 1000);
    const ttl = this.options.accessTtlSeconds;
    const claims = { role: subject.role, amr: [...amr], ...(sessionId ? { sid: sessionId } : {}) };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TYP })
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setSubject(subject.id)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { token, expiresIn: ttl };
  }

  async verifyAccessToken(token: string): Promise<AccessClaims> {
    const now = Math.floor(this.options.clock.now().getTime() / 1000);
    const known = this.verified.get(token, now);
    if (known) return known;
    const { payload } = await jwtVerify(token, (header) => this.keyFor(header), {
      issuer: this.options.issuer,
      audience: this.options.audience,
      typ: ACCESS_TYP,
      algorithms: ['ES256', 'EdDSA'],
      currentDate: this.options.clock.now(),
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
    }).catch(() => {
      throw unauthenticated();
    });
    const claims = claimsOf(payload);
    if (typeof payload.exp === 'number') this.verified.set(token, claims, payload.exp);
    return claims;
  }

  async jwks(): Promise<{ keys: object[] }> {
    return { keys: this.options.keys().map((k) => k.publicJwk) };
  }

  /** The key is chosen by `kid`, and its own algorithm is pinned: a token cannot pick another. */
  private keyFor(header: JWTHeaderParameters) {
    const key = this.options.keys().find((k) => k.kid === header.kid);
    if (!key || header.alg !== key.alg) throw unauthenticated();
    return key.publicKey;
  }
}

function claimsOf(payload: JWTPayload): AccessClaims {
  const role = payload.role;
  if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || !ROLES.includes(role as Role)) {
    throw unauthenticated();
  }
  const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
  return { sub: payload.sub, jti: payload.jti, role: role as Role, ...(sid ? { sid } : {}) };
}
