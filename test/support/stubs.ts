import sinon from 'sinon';
import type { AccountMail } from '../../src/application/accounts/account-mail.js';
import type { AccountTokens } from '../../src/application/accounts/account-tokens.js';
import type { UnitOfWork } from '../../src/domain/ports/unit-of-work.js';
import type { FileCatalog } from '../../src/domain/ports/file-catalog.js';
import type { FileStore } from '../../src/domain/ports/file-store.js';
import type { LoginThrottle } from '../../src/domain/ports/login-throttle.js';
import type { PasswordHasher } from '../../src/domain/ports/password-hasher.js';
import type { SecretStore } from '../../src/domain/ports/secret-store.js';
import type { TokenService } from '../../src/domain/ports/token-service.js';
import type { UserStore } from '../../src/domain/ports/user-store.js';

/** sinon stubs typed to the ports: a renamed port method breaks these at compile time. */
export const stubUserStore = () =>
  ({
    create: sinon.stub<Parameters<UserStore['create']>, ReturnType<UserStore['create']>>().resolves(),
    createMany: sinon.stub<Parameters<UserStore['createMany']>, ReturnType<UserStore['createMany']>>().resolves(),
    update: sinon.stub<Parameters<UserStore['update']>, ReturnType<UserStore['update']>>().resolves(),
    findById: sinon.stub<Parameters<UserStore['findById']>, ReturnType<UserStore['findById']>>().resolves(null),
    findByEmail: sinon
      .stub<Parameters<UserStore['findByEmail']>, ReturnType<UserStore['findByEmail']>>()
      .resolves(null),
    list: sinon
      .stub<Parameters<UserStore['list']>, ReturnType<UserStore['list']>>()
      .resolves({ items: [], last: null }),
    delete: sinon.stub<Parameters<UserStore['delete']>, ReturnType<UserStore['delete']>>().resolves(true),
    listDeletedBefore: sinon
      .stub<Parameters<UserStore['listDeletedBefore']>, ReturnType<UserStore['listDeletedBefore']>>()
      .resolves([]),
  }) satisfies UserStore;

export const stubHasher = () =>
  ({
    hash: sinon.stub<[string], Promise<string>>().callsFake(async (p) => `H:${p.length}`),
    verify: sinon.stub<[string, string], Promise<boolean>>().resolves(false),
  }) satisfies PasswordHasher;

export const stubTokens = () =>
  ({
    issueAccessToken: sinon
      .stub<Parameters<TokenService['issueAccessToken']>, ReturnType<TokenService['issueAccessToken']>>()
      .resolves({ token: 't', expiresIn: 900 }),
    verifyAccessToken: sinon.stub<
      Parameters<TokenService['verifyAccessToken']>,
      ReturnType<TokenService['verifyAccessToken']>
    >(),
    jwks: sinon.stub<[], Promise<{ keys: object[] }>>().resolves({ keys: [] }),
  }) satisfies TokenService;

export const stubSecretStore = () =>
  ({ load: sinon.stub<[], ReturnType<SecretStore['load']>>() }) satisfies SecretStore;

export const stubThrottle = () =>
  ({
    consume: sinon.stub<Parameters<LoginThrottle['consume']>, ReturnType<LoginThrottle['consume']>>().resolves(),
    recordSuccess: sinon
      .stub<Parameters<LoginThrottle['recordSuccess']>, ReturnType<LoginThrottle['recordSuccess']>>()
      .resolves(),
  }) satisfies LoginThrottle;

const stubOf = <F extends (...args: never[]) => unknown>() => sinon.stub<Parameters<F>, ReturnType<F>>();

/** A unit of work that runs the work as it comes and records that it was asked to (`run.called`). */
export const stubUnitOfWork = () =>
  ({
    run: sinon.stub<[() => Promise<unknown>], Promise<unknown>>().callsFake((work) => work()),
  }) as unknown as UnitOfWork & { run: sinon.SinonStub };

/** The account mail a use case queues: each kind a stub that resolves. */
export const stubAccountMail = () => ({
  verification: stubOf<AccountMail['verification']>().resolves(),
  passwordReset: stubOf<AccountMail['passwordReset']>().resolves(),
  emailChange: stubOf<AccountMail['emailChange']>().resolves(),
});

/** AccountTokens with every method a stub: `issue` answers `secret-1`, `find` nothing, the rest succeed. */
export const stubAccountTokens = () =>
  ({
    issue: stubOf<AccountTokens['issue']>().resolves('secret-1'),
    find: stubOf<AccountTokens['find']>().resolves(null),
    consume: stubOf<AccountTokens['consume']>().resolves(true),
    revokeAll: stubOf<AccountTokens['revokeAll']>().resolves(),
    markOnce: stubOf<AccountTokens['markOnce']>().resolves(true),
    replaceRecoveryCodes: stubOf<AccountTokens['replaceRecoveryCodes']>().resolves(),
    useRecoveryCode: stubOf<AccountTokens['useRecoveryCode']>().resolves(false),
    deleteExpired: stubOf<AccountTokens['deleteExpired']>().resolves(0),
  }) as unknown as AccountTokens & { [K in keyof AccountTokens]: sinon.SinonStub };

/** Every FileStore method, resolving with nothing useful until a test says otherwise. */
export const stubFileStore = () =>
  ({
    put: stubOf<FileStore['put']>().resolves({ etag: 'e' }),
    get: stubOf<FileStore['get']>(),
    head: stubOf<FileStore['head']>(),
    delete: stubOf<FileStore['delete']>().resolves(),
    deleteMany: stubOf<FileStore['deleteMany']>().resolves(),
    presignGet: stubOf<FileStore['presignGet']>(),
    presignPut: stubOf<FileStore['presignPut']>(),
    createMultipart: stubOf<FileStore['createMultipart']>().resolves('upload-1'),
    presignPart: stubOf<FileStore['presignPart']>(),
    listParts: stubOf<FileStore['listParts']>().resolves([]),
    completeMultipart: stubOf<FileStore['completeMultipart']>().resolves({ etag: 'e-2' }),
    abortMultipart: stubOf<FileStore['abortMultipart']>().resolves(),
    listVersions: stubOf<FileStore['listVersions']>().resolves([]),
    restoreVersion: stubOf<FileStore['restoreVersion']>(),
    setLegalHold: stubOf<FileStore['setLegalHold']>().resolves(),
    setRetention: stubOf<FileStore['setRetention']>().resolves(),
  }) satisfies FileStore;

export const stubFileCatalog = () =>
  ({
    create: stubOf<FileCatalog['create']>().resolves(),
    update: stubOf<FileCatalog['update']>().resolves(),
    findById: stubOf<FileCatalog['findById']>().resolves(null),
    list: stubOf<FileCatalog['list']>().resolves({ items: [], last: null }),
    delete: stubOf<FileCatalog['delete']>().resolves(true),
    listByOwner: stubOf<FileCatalog['listByOwner']>().resolves([]),
    listPendingCreatedBefore: stubOf<FileCatalog['listPendingCreatedBefore']>().resolves([]),
  }) satisfies FileCatalog;

type SecondFactorPort = import('../../src/application/accounts/second-factor.js').SecondFactor;
type StartSessionPort = import('../../src/application/sessions/start-session.js').StartSession;

/** SecondFactor with `check` a stub answering false (a wrong code) until a test says otherwise. */
export const stubSecondFactor = () =>
  ({ check: stubOf<SecondFactorPort['check']>().resolves(false) }) as unknown as SecondFactorPort & {
    check: sinon.SinonStub<Parameters<SecondFactorPort['check']>, ReturnType<SecondFactorPort['check']>>;
  };

/** StartSession whose `execute` opens family `fam-1` with refresh token `rt_1`. */
export const stubStartSession = () =>
  ({
    execute: stubOf<StartSessionPort['execute']>().resolves({ familyId: 'fam-1', refreshToken: 'rt_1' }),
  }) as unknown as StartSessionPort & {
    execute: sinon.SinonStub<Parameters<StartSessionPort['execute']>, ReturnType<StartSessionPort['execute']>>;
  };

/** A per-user step such as RevokeUserSessions: `execute(userId)` resolves. */
export const stubUserWork = () => ({ execute: sinon.stub<[string], Promise<void>>().resolves() });

/**
 * A unit of work that runs the work as it comes and remembers when each run ended, so a test can
 * ask whether every call of a stub happened inside one (`ranInside(stub)`).
 */
export const stubWatchedUnitOfWork = () => {
  const unitOfWork = stubUnitOfWork();
  const ended = sinon.spy();
  unitOfWork.run.callsFake(async (work: () => Promise<unknown>) => {
    try {
      return await work();
    } finally {
      ended();
    }
  });
  const inside = (call: sinon.SinonSpyCall) =>
    unitOfWork.run.getCalls().some((run, i) => {
      const end = ended.getCall(i);
      return call.calledAfter(run) && (end === null || call.calledBefore(end));
    });
  return {
    unitOfWork,
    ranInside: (stub: sinon.SinonSpy) => stub.called && stub.getCalls().every(inside),
  };
};
