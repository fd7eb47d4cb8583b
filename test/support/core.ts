import { Writable } from 'node:stream';
import type { ServiceIdentifier } from 'inversify';
import { AccountTokens } from '../../src/application/accounts/account-tokens.js';
import { ConfirmEmailChange } from '../../src/application/accounts/confirm-email-change.js';
import { ForgotPassword, ResendVerification } from '../../src/application/accounts/request-account-mail.js';
import { ResetPassword } from '../../src/application/accounts/reset-password.js';
import {
  ConfirmTotpEnrolment,
  DisableTotp,
  StartTotpEnrolment,
} from '../../src/application/accounts/totp-enrolment.js';
import { VerifyEmail } from '../../src/application/accounts/verify-email.js';
import { VerifyMfa } from '../../src/application/accounts/verify-mfa.js';
import { Authenticate } from '../../src/application/auth/authenticate.js';
import { ChangePassword } from '../../src/application/auth/change-password.js';
import { EnsureAdmin } from '../../src/application/auth/ensure-admin.js';
import { Login } from '../../src/application/auth/login.js';
import { UploadFile } from '../../src/application/files/upload-file.js';
import { EndSession } from '../../src/application/sessions/end-session.js';
import { RefreshSession } from '../../src/application/sessions/refresh-session.js';
import { RevokeUserSessions } from '../../src/application/sessions/revoke-user-sessions.js';
import { CreateUser } from '../../src/application/users/create-user.js';
import { DeleteUser } from '../../src/application/users/delete-user.js';
import { GetUser } from '../../src/application/users/get-user.js';
import { ListUsers } from '../../src/application/users/list-users.js';
import { PatchUser } from '../../src/application/users/patch-user.js';
import { RegisterUser } from '../../src/application/users/register-user.js';
import { ReplaceUser } from '../../src/application/users/replace-user.js';
import { parseConfig } from '../../src/infrastructure/config.js';
import { buildContainer } from '../../src/infrastructure/container/build-container.js';
import { TOKENS as T } from '../../src/infrastructure/container/tokens.js';
import { createLogger } from '../../src/infrastructure/logging.js';
import { FakeHasher, ManualClock, newPrivateKeyPem } from './fakes.js';

const silent = createLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));

/**
 * Every use case from the real composition root on the memory database and file store, with a
 * clock the test moves and a reversible hasher: the unit layer's whole world, no I/O.
 */
export async function aCore(env: Record<string, string> = {}) {
  const clock = new ManualClock();
  const hasher = new FakeHasher();
  const config = parseConfig({
    PUBLIC_APP_URL: 'https://app.example.com',
    DB_DRIVER: 'memory',
    FILE_STORE: 'memory',
    JWT_PRIVATE_KEY: newPrivateKeyPem(),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
    LOGIN_MAX_FAILURES_PER_CLIENT: '10',
    LOGIN_THROTTLE_WINDOW_S: '60',
    REFRESH_TOKEN_TTL_S: '3600',
    REFRESH_REUSE_GRACE_S: '10',
    ...env,
  });
  const container = await buildContainer(config, silent, {
    override: (c) => {
      c.rebind(T.Clock).toConstantValue(clock);
      c.rebind(T.PasswordHasher).toConstantValue(hasher);
    },
  });
  const get = <S>(id: ServiceIdentifier<S>) => container.getAsync(id);
  return {
    users: await get(T.UserStore),
    hasher,
    clock,
    tokens: await get(T.TokenService),
    register: await get(RegisterUser),
    createUser: await get(CreateUser),
    sessions: await get(T.RefreshTokenStore),
    login: await get(Login),
    refresh: await get(RefreshSession),
    logout: await get(EndSession),
    revoke: await get(RevokeUserSessions),
    authenticate: await get(Authenticate),
    changePassword: await get(ChangePassword),
    ensureAdmin: await get(EnsureAdmin),
    getUser: await get(GetUser),
    listUsers: await get(ListUsers),
    replaceUser: await get(ReplaceUser),
    patchUser: await get(PatchUser),
    deleteUser: await get(DeleteUser),
    uploadFile: await get(UploadFile),
    files: await get(T.FileCatalog),
    mailQueue: await get(T.MailQueue),
    accountTokens: await get(AccountTokens),
    accountTokenStore: await get(T.AccountTokenStore),
    totp: await get(T.Totp),
    verifyEmail: await get(VerifyEmail),
    resendVerification: await get(ResendVerification),
    forgotPassword: await get(ForgotPassword),
    resetPassword: await get(ResetPassword),
    confirmEmailChange: await get(ConfirmEmailChange),
    startTotp: await get(StartTotpEnrolment),
    confirmTotp: await get(ConfirmTotpEnrolment),
    disableTotp: await get(DisableTotp),
    verifyMfa: await get(VerifyMfa),
  };
}

export const registration = (n: number | string, extra: object = {}) => ({
  email: `user${n}@example.com`,
  password: 'correct horse battery',
  name: `User ${n}`,
  ...extra,
});
