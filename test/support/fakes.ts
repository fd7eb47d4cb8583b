import { generateKeyPairSync } from 'node:crypto';
import { v7 } from 'uuid';
import { JoseTokenService } from '../../src/adapters/auth/jose-token-service.js';
import { signingKeyFromPem, type SigningKey } from '../../src/adapters/auth/signing-key.js';
import type { Clock } from '../../src/domain/ports/clock.js';
import type { IdGenerator } from '../../src/domain/ports/id-generator.js';
import type { PasswordHasher } from '../../src/domain/ports/password-hasher.js';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current = new Date('2026-01-01T00:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const uuidV7Ids = (): IdGenerator => ({ next: () => v7() });

/** Reversible on purpose so tests can see what was hashed; never used outside unit tests. */
export class FakeHasher implements PasswordHasher {
  async hash(plain: string): Promise<string> {
    return `hashed(${plain})`;
  }
  async verify(plain: string, hash: string): Promise<boolean> {
    return hash === `hashed(${plain})`;
  }
}

export function newPrivateKeyPem(type: 'ec' | 'ed25519' = 'ec'): string {
  const { privateKey } =
    type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export async function aTokenService(clock: Clock = new ManualClock(), keys?: SigningKey[]) {
  const ring = keys ?? [await signingKeyFromPem(newPrivateKeyPem())];
  const service = new JoseTokenService({
    keys: () => ring,
    issuer: 'portico-test',
    audience: 'portico-api',
    accessTtlSeconds: 900,
    clock,
  });
  return { service, keys: ring };
}
