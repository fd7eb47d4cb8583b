import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { BcryptPasswordHasher } from '../../src/adapters/auth/bcrypt-password-hasher.js';
import { HmacOpaqueTokens } from '../../src/adapters/auth/hmac-opaque-tokens.js';
import { createApp, type AppDeps } from '../../src/adapters/http/app.js';
import { InMemoryRefreshTokenStore } from '../../src/adapters/persistence/in-memory/in-memory-refresh-token-store.js';
import { InMemoryUserStore } from '../../src/adapters/persistence/in-memory/in-memory-user-store.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { UuidV7Generator } from '../../src/adapters/system/uuid-v7-generator.js';
import { RateLimiterLoginThrottle, type ThrottleSettings } from '../../src/adapters/throttle/rate-limiter-login-throttle.js';
import { activeUsersFromStores } from '../../src/application/auth/active-users-from-stores.js';
import { Authenticate } from '../../src/application/auth/authenticate.js';
import { ChangePassword } from '../../src/application/auth/change-password.js';
import { Login } from '../../src/application/auth/login.js';
import { EndSession } from '../../src/application/sessions/end-session.js';
import { RefreshSession } from '../../src/application/sessions/refresh-session.js';
import { RevokeUserSessions } from '../../src/application/sessions/revoke-user-sessions.js';
import { StartSession } from '../../src/application/sessions/start-session.js';
import { CreateUser } from '../../src/application/users/create-user.js';
import { DeleteUser } from '../../src/application/users/delete-user.js';
import { GetUser } from '../../src/application/users/get-user.js';
import { ListUsers } from '../../src/application/users/list-users.js';
import { PatchUser } from '../../src/application/users/patch-user.js';
import { RegisterUser } from '../../src/application/users/register-user.js';
import { ReplaceUser } from '../../src/application/users/replace-user.js';
import { UpdateUser } from '../../src/application/users/update-user.js';
import { InMemoryFileStore } from '../../src/adapters/files/in-memory/in-memory-file-store.js';
import { aTokenService } from './fakes.js';
import { aFileCore } from './file-core.js';

export const ADMIN = { email: 'admin@example.com', password: 'admin password 1' };

export interface TestAppOptions extends Partial<Omit<AppDeps, 'useCases' | 'logger'>> {
  useCases?: Partial<AppDeps['useCases']>;
  throttle?: ThrottleSettings;
}

/**
 * The real app over real use cases: in-memory stores, bcrypt (cost 4), jose tokens with a fresh
 * P-256 key. Every log line is kept in `logs` so tests can read what would have been written.
 */
export async function startTestApp(options: TestAppOptions = {}) {
  const clock = new SystemClock();
  const ids = new UuidV7Generator();
  const users = new InMemoryUserStore();
  const hasher = new BcryptPasswordHasher(4);
  const { service: tokens } = await aTokenService(clock);
  const sessions = new InMemoryRefreshTokenStore();
  const settings = { refreshTtlSeconds: 3600, reuseGraceSeconds: 10 };
  const opaque = new HmacOpaqueTokens(Buffer.alloc(32, 9));
  const startSession = new StartSession(sessions, opaque, ids, clock, settings);
  const revoke = new RevokeUserSessions(sessions, clock);
  const revokeHook = [(id: string) => revoke.execute(id)];
  const throttle = new RateLimiterLoginThrottle(options.throttle ?? { perAccount: 50, perClient: 500, windowSeconds: 60 });
  const register = new RegisterUser(users, hasher, ids, clock);
  const update = new UpdateUser(users, clock, revokeHook);
  const logs: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(chunk.toString()), done()) });
  const fileStore = new InMemoryFileStore({ linkBaseUrl: '/v1/files/_local' });
  const files = aFileCore({ clock, store: fileStore });
  const { useCases, throttle: _t, ...rest } = options;
  const app = createApp({
    logger: pino({ level: 'debug' }, sink),
    corsOrigins: ['https://app.example.com'],
    bodyLimitBytes: 1024 * 1024,
    tokens,
    healthChecks: [],
    isDraining: () => false,
    fileUseCases: files.useCases,
    fileLinks: fileStore.links,
    ...rest,
    useCases: {
      registerUser: register,
      createUser: new CreateUser(register),
      login: new Login(users, hasher, tokens, startSession, throttle),
      authenticate: new Authenticate(tokens, activeUsersFromStores(users, sessions)),
      changePassword: new ChangePassword(users, hasher, clock, revokeHook),
      getUser: new GetUser(users),
      listUsers: new ListUsers(users),
      replaceUser: new ReplaceUser(update),
      patchUser: new PatchUser(update),
      deleteUser: new DeleteUser(users, [(id) => files.deleteUserFiles.execute(id), ...revokeHook]),
      refreshSession: new RefreshSession(sessions, opaque, users, tokens, clock, startSession, settings),
      endSession: new EndSession(sessions, opaque, clock),
      ...useCases,
    },
  });
  await register.execute({ ...ADMIN, name: 'Admin', role: 'admin' });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    users,
    logs,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
