import type { MikroORM } from '@mikro-orm/core';
import type { ServiceIdentifier } from 'inversify';
import type { Logger } from 'pino';
import type { Authenticate } from '../application/auth/authenticate.js';
import type { AbortUpload } from '../application/files/abort-upload.js';
import type { CompleteUpload } from '../application/files/complete-upload.js';
import type { DeleteFile } from '../application/files/delete-file.js';
import type { DownloadFile } from '../application/files/download-file.js';
import type { FileLimits } from '../application/files/file-limits.js';
import type { GetDownloadUrl } from '../application/files/get-download-url.js';
import type { GetFile } from '../application/files/get-file.js';
import type { GetUploadProgress } from '../application/files/get-upload-progress.js';
import type { ListFiles } from '../application/files/list-files.js';
import type { ListVersions } from '../application/files/list-versions.js';
import type { RestoreVersion } from '../application/files/restore-version.js';
import type { SetLegalHold } from '../application/files/set-legal-hold.js';
import type { SetRetention } from '../application/files/set-retention.js';
import type { StartUpload } from '../application/files/start-upload.js';
import type { SweepAbandonedUploads } from '../application/files/sweep-abandoned-uploads.js';
import type { UploadFile } from '../application/files/upload-file.js';
import type { FileCatalog } from '../domain/ports/file-catalog.js';
import type { FileLinks, FileStore } from '../domain/ports/file-store.js';
import type { ChangePassword } from '../application/auth/change-password.js';
import type { EnsureAdmin } from '../application/auth/ensure-admin.js';
import type { Login } from '../application/auth/login.js';
import type { CreateUser } from '../application/users/create-user.js';
import type { DeleteUser } from '../application/users/delete-user.js';
import type { GetUser } from '../application/users/get-user.js';
import type { ListUsers } from '../application/users/list-users.js';
import type { PatchUser } from '../application/users/patch-user.js';
import type { RegisterUser } from '../application/users/register-user.js';
import type { ReplaceUser } from '../application/users/replace-user.js';
import type { UpdateUser } from '../application/users/update-user.js';
import type { EndSession } from '../application/sessions/end-session.js';
import type { RefreshSession } from '../application/sessions/refresh-session.js';
import type { RevokeUserSessions } from '../application/sessions/revoke-user-sessions.js';
import type { StartSession } from '../application/sessions/start-session.js';
import type { LoginThrottle } from '../domain/ports/login-throttle.js';
import type { OpaqueTokens } from '../domain/ports/opaque-tokens.js';
import type { RefreshTokenStore } from '../domain/ports/refresh-token-store.js';
import type { ActiveUsers } from '../domain/ports/active-users.js';
import type { Clock } from '../domain/ports/clock.js';
import type { HealthCheck } from '../domain/ports/health-check.js';
import type { IdGenerator } from '../domain/ports/id-generator.js';
import type { PasswordHasher } from '../domain/ports/password-hasher.js';
import type { TokenService } from '../domain/ports/token-service.js';
import type { UserStore } from '../domain/ports/user-store.js';
import type { Config } from './config.js';

const token = <T>(name: string) => Symbol.for(`portico.${name}`) as ServiceIdentifier<T>;

export const TOKENS = {
  Config: token<Config>('Config'),
  Logger: token<Logger>('Logger'),
  Clock: token<Clock>('Clock'),
  IdGenerator: token<IdGenerator>('IdGenerator'),
  Orm: token<MikroORM>('Orm'),
  UserStore: token<UserStore>('UserStore'),
  ActiveUsers: token<ActiveUsers>('ActiveUsers'),
  PasswordHasher: token<PasswordHasher>('PasswordHasher'),
  TokenService: token<TokenService>('TokenService'),
  HealthChecks: token<HealthCheck[]>('HealthChecks'),
  RefreshTokenStore: token<RefreshTokenStore>('RefreshTokenStore'),
  OpaqueTokens: token<OpaqueTokens>('OpaqueTokens'),
  LoginThrottle: token<LoginThrottle>('LoginThrottle'),
  StartSession: token<StartSession>('StartSession'),
  RefreshSession: token<RefreshSession>('RefreshSession'),
  EndSession: token<EndSession>('EndSession'),
  RevokeUserSessions: token<RevokeUserSessions>('RevokeUserSessions'),
  RegisterUser: token<RegisterUser>('RegisterUser'),
  CreateUser: token<CreateUser>('CreateUser'),
  Login: token<Login>('Login'),
  Authenticate: token<Authenticate>('Authenticate'),
  ChangePassword: token<ChangePassword>('ChangePassword'),
  EnsureAdmin: token<EnsureAdmin>('EnsureAdmin'),
  GetUser: token<GetUser>('GetUser'),
  ListUsers: token<ListUsers>('ListUsers'),
  UpdateUser: token<UpdateUser>('UpdateUser'),
  ReplaceUser: token<ReplaceUser>('ReplaceUser'),
  PatchUser: token<PatchUser>('PatchUser'),
  DeleteUser: token<DeleteUser>('DeleteUser'),
  FileStore: token<FileStore>('FileStore'),
  FileCatalog: token<FileCatalog>('FileCatalog'),
  FileLinks: token<FileLinks>('FileLinks'),
  FileLimits: token<FileLimits>('FileLimits'),
  UploadFile: token<UploadFile>('UploadFile'),
  ListFiles: token<ListFiles>('ListFiles'),
  GetFile: token<GetFile>('GetFile'),
  DownloadFile: token<DownloadFile>('DownloadFile'),
  GetDownloadUrl: token<GetDownloadUrl>('GetDownloadUrl'),
  DeleteFile: token<DeleteFile>('DeleteFile'),
  StartUpload: token<StartUpload>('StartUpload'),
  GetUploadProgress: token<GetUploadProgress>('GetUploadProgress'),
  CompleteUpload: token<CompleteUpload>('CompleteUpload'),
  AbortUpload: token<AbortUpload>('AbortUpload'),
  ListVersions: token<ListVersions>('ListVersions'),
  RestoreVersion: token<RestoreVersion>('RestoreVersion'),
  SetLegalHold: token<SetLegalHold>('SetLegalHold'),
  SetRetention: token<SetRetention>('SetRetention'),
  SweepAbandonedUploads: token<SweepAbandonedUploads>('SweepAbandonedUploads'),
} as const;
