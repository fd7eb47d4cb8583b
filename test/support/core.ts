import { activeUsersFromStores } from '../../src/application/auth/active-users-from-stores.js';
import { Authenticate } from '../../src/application/auth/authenticate.js';
import { ChangePassword } from '../../src/application/auth/change-password.js';
import { EnsureAdmin } from '../../src/application/auth/ensure-admin.js';
import { Login } from '../../src/application/auth/login.js';
import { CreateUser } from '../../src/application/users/create-user.js';
import { DeleteUser, type UserHook } from '../../src/application/users/delete-user.js';
import { GetUser } from '../../src/application/users/get-user.js';
import { ListUsers } from '../../src/application/users/list-users.js';
import { PatchUser } from '../../src/application/users/patch-user.js';
import { RegisterUser } from '../../src/application/users/register-user.js';
import { ReplaceUser } from '../../src/application/users/replace-user.js';
import { UpdateUser } from '../../src/application/users/update-user.js';
import { InMemoryUserStore } from '../../src/adapters/persistence/in-memory/in-memory-user-store.js';
import { InMemoryRefreshTokenStore } from '../../src/adapters/persistence/in-memory/in-memory-refresh-token-store.js';
import { HmacOpaqueTokens } from '../../src/adapters/auth/hmac-opaque-tokens.js';
import { RateLimiterLoginThrottle } from '../../src/adapters/throttle/rate-limiter-login-throttle.js';
import { EndSession } from '../../src/application/sessions/end-session.js';
import { RefreshSession } from '../../src/application/sessions/refresh-session.js';
import { RevokeUserSessions } from '../../src/application/sessions/revoke-user-sessions.js';
import { StartSession } from '../../src/application/sessions/start-session.js';
import { aTokenService, FakeHasher, ManualClock, uuidV7Ids } from './fakes.js';

/** Every use case over in-memory adapters: the unit layer's whole world, no I/O. */
export async function aCore(options: { onDelete?: UserHook[]; onPasswordChange?: UserHook[] } = {}) {
  const users = new InMemoryUserStore();
  const hasher = new FakeHasher();
  const clock = new ManualClock();
  const { service: tokens } = await aTokenService(clock);
  const register = new RegisterUser(users, hasher, uuidV7Ids(), clock);
  const sessions = new InMemoryRefreshTokenStore();
  const opaque = new HmacOpaqueTokens(Buffer.alloc(32, 7));
  const settings = { refreshTtlSeconds: 3600, reuseGraceSeconds: 10 };
  const startSession = new StartSession(sessions, opaque, uuidV7Ids(), clock, settings);
  const revoke = new RevokeUserSessions(sessions, clock);
  const throttle = new RateLimiterLoginThrottle({ perAccount: 3, perClient: 10, windowSeconds: 60 });
  const update = new UpdateUser(users, clock, [(id) => revoke.execute(id)]);
  return {
    users,
    hasher,
    clock,
    tokens,
    register,
    createUser: new CreateUser(register),
    sessions,
    login: new Login(users, hasher, tokens, startSession, throttle),
    refresh: new RefreshSession(sessions, opaque, users, tokens, clock, startSession, settings),
    logout: new EndSession(sessions, opaque, clock),
    revoke,
    authenticate: new Authenticate(tokens, activeUsersFromStores(users, sessions)),
    changePassword: new ChangePassword(users, hasher, clock, options.onPasswordChange),
    ensureAdmin: new EnsureAdmin(users, register),
    getUser: new GetUser(users),
    listUsers: new ListUsers(users),
    replaceUser: new ReplaceUser(update),
    patchUser: new PatchUser(update),
    deleteUser: new DeleteUser(users, options.onDelete),
  };
}

export const registration = (n: number | string, extra: object = {}) => ({
  email: `user${n}@example.com`,
  password: 'correct horse battery',
  name: `User ${n}`,
  ...extra,
});
