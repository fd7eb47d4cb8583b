import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';
import { AccountToken } from '../../src/domain/account/account-token.js';
import { at } from './builders.js';

/** A reset-password token of `userId`, issued at(0) for an hour, with a fresh digest unless given. */
export function anAccountToken(userId: string, overrides: Partial<AccountToken> = {}): AccountToken {
  const t = {
    id: v7(),
    purpose: 'reset-password' as const,
    digest: randomBytes(32).toString('base64url'),
    email: 'ada@example.com' as string | null,
    createdAt: at(0),
    expiresAt: at(3600),
    ...overrides,
  };
  return new AccountToken(t.id, userId, t.purpose, t.digest, t.email, t.createdAt, t.expiresAt);
}
