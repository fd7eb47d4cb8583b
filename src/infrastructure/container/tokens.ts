import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { MikroORM } from '@mikro-orm/core';
import type { MongoDriver } from '@mikro-orm/mongodb';
import type { ServiceIdentifier } from 'inversify';
import type { Redis } from 'ioredis';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { HttpMetrics } from '../../adapters/http/middleware/metrics.js';
import type { Idempotency } from '../../adapters/http/idempotency.js';
import type { RouteRegistrar } from '../../adapters/http/route.js';
import type { FileLimits } from '../../application/files/file-limits.js';
import type { AccountTokenStore } from '../../domain/ports/account-token-store.js';
import type { ActiveUsers } from '../../domain/ports/active-users.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore, UploadLeftovers } from '../../domain/ports/file-store.js';
import type { HealthCheck } from '../../domain/ports/health-check.js';
import type { IdempotencyStore } from '../../domain/ports/idempotency-store.js';
import type { IdGenerator } from '../../domain/ports/id-generator.js';
import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { MailQueue } from '../../domain/ports/mail-queue.js';
import type { Mailer } from '../../domain/ports/mailer.js';
import type { IdentityStore } from '../../domain/ports/identity-store.js';
import type { LinkedIdentities } from '../../domain/ports/linked-identities.js';
import type { OidcProviders } from '../../domain/ports/oidc-providers.js';
import type { OpaqueTokens } from '../../domain/ports/opaque-tokens.js';
import type { PasskeyCeremonies } from '../../domain/ports/passkey-ceremonies.js';
import type { PasskeyChallengeStore } from '../../domain/ports/passkey-challenge-store.js';
import type { PasskeyStore } from '../../domain/ports/passkey-store.js';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';
import type { RefreshTokenStore } from '../../domain/ports/refresh-token-store.js';
import type { SecretCipher } from '../../domain/ports/secret-cipher.js';
import type { Totp } from '../../domain/ports/totp.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.js';
import type { TokenService } from '../../domain/ports/token-service.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { Config } from '../config.js';
import type { PoolStats } from '../metrics.js';

/** Work the server runs in the background (timers) until shutdown stops it, waiting for a run under way. */
export interface BackgroundJob {
  stop(): Promise<void>;
}

const token = <T>(name: string) => Symbol.for(`portico.${name}`) as ServiceIdentifier<T>;

/**
 * The ports, the values modules share, and the two extension points (`Routes`, `BackgroundJobs`).
 * Use cases have no token here: a use case's class is its identifier (`bind(GetUser)`, `[GetUser]`).
 */
export const TOKENS = {
  Config: token<Config>('Config'),
  Logger: token<Logger>('Logger'),
  Clock: token<Clock>('Clock'),
  IdGenerator: token<IdGenerator>('IdGenerator'),
  /** JWT_PRIVATE_KEY, else the development key in DATA_DIR; the sessions and file-link keys derive from it. */
  SigningKeyPem: token<string>('SigningKeyPem'),
  Orm: token<MikroORM>('Orm'),
  MongoOrm: token<MikroORM<MongoDriver>>('MongoOrm'),
  UserStore: token<UserStore>('UserStore'),
  ActiveUsers: token<ActiveUsers>('ActiveUsers'),
  RefreshTokenStore: token<RefreshTokenStore>('RefreshTokenStore'),
  AccountTokenStore: token<AccountTokenStore>('AccountTokenStore'),
  /** Idempotency-Key records of the creating POSTs. */
  IdempotencyStore: token<IdempotencyStore>('IdempotencyStore'),
  /** Runs the `idempotent` routes at most once per key and caller (IDEMPOTENCY_TTL_S, IDEMPOTENCY_LEASE_S). */
  Idempotency: token<Idempotency>('Idempotency'),
  /** Transactions over the SQL stores; runs work as it comes on the others. */
  UnitOfWork: token<UnitOfWork>('UnitOfWork'),
  FileCatalog: token<FileCatalog>('FileCatalog'),
  HealthChecks: token<HealthCheck[]>('HealthChecks'),
  /** Readiness answers 503 for a check slower than this. */
  HealthCheckTimeoutMs: token<number>('HealthCheckTimeoutMs'),
  /** The SQL pool's numbers for the metrics; undefined for the drivers without one. */
  PoolStats: token<(() => PoolStats | undefined) | undefined>('PoolStats'),
  /** Middleware the driver needs around each request (Mongo's identity map); undefined when none. */
  RequestScope: token<Middleware | undefined>('RequestScope'),
  Metrics: token<HttpMetrics>('Metrics'),
  PasswordHasher: token<PasswordHasher>('PasswordHasher'),
  TokenService: token<TokenService>('TokenService'),
  OpaqueTokens: token<OpaqueTokens>('OpaqueTokens'),
  Redis: token<Redis>('Redis'),
  LoginThrottle: token<LoginThrottle>('LoginThrottle'),
  /** Password-reset and verification mail requests, per address and per client. */
  AccountMailThrottle: token<LoginThrottle>('AccountMailThrottle'),
  /** Second-factor attempts, per user and per client. */
  MfaThrottle: token<LoginThrottle>('MfaThrottle'),
  Totp: token<Totp>('Totp'),
  /** Seals TOTP secrets at rest (MFA_ENCRYPTION_KEY, else a key derived from the signing key outside production). */
  SecretCipher: token<SecretCipher>('SecretCipher'),
  PasskeyStore: token<PasskeyStore>('PasskeyStore'),
  PasskeyChallengeStore: token<PasskeyChallengeStore>('PasskeyChallengeStore'),
  /** WebAuthn registration and sign-in for the configured relying party (WEBAUTHN_*). */
  PasskeyCeremonies: token<PasskeyCeremonies>('PasskeyCeremonies'),
  /** How many identities (OpenID Connect) a user has linked: removing the last passkey asks it. */
  LinkedIdentities: token<LinkedIdentities>('LinkedIdentities'),
  /** Provider accounts (OpenID Connect) linked to users. */
  IdentityStore: token<IdentityStore>('IdentityStore'),
  /** The configured OpenID providers (OIDC_*), discovered when first used. */
  OidcProviders: token<OidcProviders>('OidcProviders'),
  S3Client: token<S3Client>('S3Client'),
  FileStore: token<FileStore>('FileStore'),
  UploadLeftovers: token<UploadLeftovers>('UploadLeftovers'),
  /** The S3 event worker's and bucket:setup's SQS client (S3_EVENTS_QUEUE_URL). */
  SqsClient: token<SQSClient>('SqsClient'),
  FileLimits: token<FileLimits>('FileLimits'),
  /** MAIL_DRIVER: the outbox directory, SMTP, or memory (tests). */
  Mailer: token<Mailer>('Mailer'),
  MailQueue: token<MailQueue>('MailQueue'),
  /** Multi-bound: every feature's routes, in the order the modules are loaded. */
  Routes: token<RouteRegistrar>('Routes'),
  /** Multi-bound: started by composeApp; stopped first on shutdown, before the stores close. */
  BackgroundJobs: token<BackgroundJob>('BackgroundJobs'),
} as const;
