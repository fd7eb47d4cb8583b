import { v7 } from 'uuid';
import { User } from '../../src/domain/user/user.js';

let serial = 0;

/** A valid domain user with a fresh UUIDv7 id and an email no other built user has. */
export function aUser(overrides: Partial<User> = {}): User {
  serial += 1;
  const u = {
    id: v7(),
    email: `user-${serial}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    name: `User ${serial}`,
    role: 'user' as const,
    profile: {},
    passwordHash: '$2b$04$notarealhashnotarealhashnotarealhashnotarealhash12',
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    updatedAt: new Date('2026-01-02T03:04:05.678Z'),
    ...overrides,
  };
  return new User(u.id, u.email, u.name, u.role, u.profile, u.passwordHash, u.createdAt, u.updatedAt);
}
