import sinon from 'sinon';
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
    update: sinon.stub<Parameters<UserStore['update']>, ReturnType<UserStore['update']>>().resolves(),
    findById: sinon.stub<Parameters<UserStore['findById']>, ReturnType<UserStore['findById']>>().resolves(null),
    findByEmail: sinon
      .stub<Parameters<UserStore['findByEmail']>, ReturnType<UserStore['findByEmail']>>()
      .resolves(null),
    list: sinon
      .stub<Parameters<UserStore['list']>, ReturnType<UserStore['list']>>()
      .resolves({ items: [], last: null }),
    delete: sinon.stub<Parameters<UserStore['delete']>, ReturnType<UserStore['delete']>>().resolves(true),
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
