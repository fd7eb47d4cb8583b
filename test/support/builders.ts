import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';
import { StoredFile } from '../../src/domain/file/stored-file.js';
import type { UserStore } from '../../src/domain/ports/user-store.js';
import { RefreshToken } from '../../src/domain/session/refresh-token.js';
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
  // Any other field (status, deletedAt, version ...) as given, else the constructor's default.
  return Object.assign(
    new User(u.id, u.email, u.name, u.role, u.profile, u.passwordHash, u.createdAt, u.updatedAt),
    overrides,
  );
}

/** aUser, created in `store`: an owner that exists, for what refers to one. */
export async function aUserIn(store: Pick<UserStore, 'create'>, overrides: Partial<User> = {}): Promise<User> {
  const user = aUser(overrides);
  await store.create(user);
  return user;
}

/** A ready file's metadata row, owned by `ownerId` (a fresh id unless given). */
export function aStoredFile(overrides: Partial<StoredFile> = {}): StoredFile {
  serial += 1;
  const f = {
    id: v7(),
    ownerId: v7(),
    name: `report-${serial}.pdf`,
    contentType: 'application/pdf',
    size: 1024 * serial,
    status: 'ready' as const,
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    updatedAt: new Date('2026-01-02T03:04:05.678Z'),
    checksum: 'a'.repeat(64),
    versionId: undefined as string | undefined,
    uploadId: undefined as string | undefined,
    ...overrides,
  };
  return new StoredFile(
    f.id,
    f.ownerId,
    f.name,
    f.contentType,
    f.size,
    f.status,
    f.createdAt,
    f.updatedAt,
    f.checksum,
    f.versionId,
    f.uploadId,
  );
}

/** `seconds` after 2026-01-01T00:00:00Z: instants a test can name. */
export const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

/** An unspent refresh token of `userId`, issued at(0) for an hour, in a family of its own unless given. */
export const aRefreshToken = (userId = v7(), familyId = v7()) =>
  new RefreshToken(v7(), familyId, userId, randomBytes(32).toString('hex'), at(0), at(3600));
