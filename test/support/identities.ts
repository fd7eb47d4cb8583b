import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';
import { Identity } from '../../src/domain/oidc/identity.js';
import { at } from './builders.js';

/** A `test` provider account of `userId`, linked at(0), with a fresh subject unless given. */
export function anIdentity(userId: string, overrides: Partial<Identity> = {}): Identity {
  const i = {
    id: v7(),
    provider: 'test',
    subject: randomBytes(12).toString('hex'),
    email: 'ada@example.com' as string | null,
    createdAt: at(0),
    ...overrides,
  };
  return new Identity(i.id, userId, i.provider, i.subject, i.email, i.createdAt);
}
