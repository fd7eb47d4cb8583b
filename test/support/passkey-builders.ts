import { randomBytes } from 'node:crypto';
import { Passkey, PasskeyChallenge } from '../../src/domain/passkey/passkey.js';
import { at } from './builders.js';

/** A passkey of `userId` registered at(0), never used, with a fresh credential id and key unless given. */
export function aPasskey(userId: string, overrides: Partial<Passkey> = {}): Passkey {
  const p = {
    id: randomBytes(16).toString('base64url'),
    publicKey: new Uint8Array(randomBytes(77)),
    counter: 0,
    transports: ['internal', 'hybrid'],
    deviceType: 'singleDevice' as const,
    backedUp: false,
    name: 'Laptop',
    createdAt: at(0),
    lastUsedAt: null,
    ...overrides,
  };
  return new Passkey(
    p.id,
    userId,
    p.publicKey,
    p.counter,
    p.transports,
    p.deviceType,
    p.backedUp,
    p.name,
    p.createdAt,
    p.lastUsedAt,
  );
}

/** A sign-in challenge handed out at(0) for five minutes; a registration one when `userId` is given. */
export const aPasskeyChallenge = (userId: string | null = null, overrides: Partial<PasskeyChallenge> = {}) => {
  const c = {
    id: randomBytes(32).toString('base64url'),
    createdAt: at(0),
    expiresAt: at(300),
    ...overrides,
  };
  return new PasskeyChallenge(c.id, userId ? 'registration' : 'authentication', userId, c.createdAt, c.expiresAt);
};
