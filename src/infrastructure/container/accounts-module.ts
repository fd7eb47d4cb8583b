import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { AesGcmSecretCipher, cipherKeysFrom } from '../../adapters/auth/aes-gcm-secret-cipher.js';
import { OtplibTotp } from '../../adapters/auth/otplib-totp.js';
import { accountRoutes } from '../../adapters/http/routes/accounts.js';
import { AccountMail } from '../../application/accounts/account-mail.js';
import { AccountTokens } from '../../application/accounts/account-tokens.js';
import { ConfirmEmailChange } from '../../application/accounts/confirm-email-change.js';
import { ForgotPassword, ResendVerification } from '../../application/accounts/request-account-mail.js';
import { ResetPassword } from '../../application/accounts/reset-password.js';
import { SecondFactor } from '../../application/accounts/second-factor.js';
import { ConfirmTotpEnrolment, DisableTotp, StartTotpEnrolment } from '../../application/accounts/totp-enrolment.js';
import { VerifyEmail } from '../../application/accounts/verify-email.js';
import { VerifyMfa } from '../../application/accounts/verify-mfa.js';
import { RevokeUserSessions } from '../../application/sessions/revoke-user-sessions.js';
import { StartSession } from '../../application/sessions/start-session.js';
import { accountMailThrottled } from '../../domain/account/account-errors.js';
import { DomainError } from '../../domain/errors.js';
import type { Config } from '../config.js';
import { repeatEvery } from './repeat-every.js';
import { bindThrottle } from './throttles.js';
import { TOKENS as T } from './tokens.js';

/** Expired account tokens are removed this often (they are refused anyway; this only keeps the table small). */
const TOKEN_SWEEP_INTERVAL_MS = 60 * 60_000;

const mfaThrottled = (retryAfterSeconds: number) =>
  new DomainError('AUTH.THROTTLED', 'Too many second-factor attempts; try again later.', undefined, retryAfterSeconds);

/**
 * Email verification, password reset, email change and TOTP two-factor: their use cases, throttles,
 * the TOTP secret cipher, a sweep of expired tokens, and the routes (docs/accounts.md).
 */
export function accountsModule(config: Config, logger: Logger): ContainerModule {
  const settings = config.accounts;
  return new ContainerModule(({ bind }) => {
    bind(T.Totp).toConstantValue(new OtplibTotp());
    // MFA_ENCRYPTION_KEY (required in production); elsewhere a key derived from the signing key,
    // so the embedded default needs no setting and keeps its secrets readable across restarts.
    bind(T.SecretCipher).toResolvedValue(
      (pem) => new AesGcmSecretCipher(cipherKeysFrom(settings.encryptionKeys, pem)),
      [T.SigningKeyPem],
    );
    bindThrottle(bind, config, T.AccountMailThrottle, settings.mailThrottle, {
      name: 'mail',
      refusal: accountMailThrottled,
    });
    bindThrottle(bind, config, T.MfaThrottle, settings.mfaThrottle, { name: 'mfa', refusal: mfaThrottled });
    bind(AccountTokens).toResolvedValue(
      (...a) => new AccountTokens(...a),
      [T.AccountTokenStore, T.OpaqueTokens, T.IdGenerator, T.Clock],
    );
    bind(AccountMail).toResolvedValue(
      (...a) => new AccountMail(...a, settings),
      [AccountTokens, T.MailQueue, T.IdGenerator, T.Clock],
    );
    bind(SecondFactor).toResolvedValue(
      (...a) => new SecondFactor(...a),
      [T.Totp, T.SecretCipher, AccountTokens, T.Clock],
    );
    bind(VerifyEmail).toResolvedValue((...a) => new VerifyEmail(...a), [AccountTokens, T.UserStore, T.Clock]);
    for (const UseCase of [ForgotPassword, ResendVerification]) {
      bind<ForgotPassword | ResendVerification>(UseCase).toResolvedValue(
        (...a) => new UseCase(...a),
        [T.UserStore, AccountMail, T.UnitOfWork, T.AccountMailThrottle],
      );
    }
    bind(ResetPassword).toResolvedValue(
      (...a) => new ResetPassword(...a),
      [AccountTokens, T.UserStore, T.PasswordHasher, T.UnitOfWork, RevokeUserSessions, T.Clock],
    );
    bind(ConfirmEmailChange).toResolvedValue(
      (...a) => new ConfirmEmailChange(...a),
      [AccountTokens, T.UserStore, T.UnitOfWork, T.Clock],
    );
    bind(StartTotpEnrolment).toResolvedValue(
      (...a) => new StartTotpEnrolment(...a, settings),
      [T.UserStore, T.Totp, T.SecretCipher, T.Clock],
    );
    bind(ConfirmTotpEnrolment).toResolvedValue(
      (...a) => new ConfirmTotpEnrolment(...a),
      [T.UserStore, SecondFactor, AccountTokens, T.UnitOfWork, T.Clock],
    );
    bind(DisableTotp).toResolvedValue(
      (...a) => new DisableTotp(...a),
      [T.UserStore, T.PasswordHasher, SecondFactor, AccountTokens, T.UnitOfWork, T.MfaThrottle, T.Clock],
    );
    bind(VerifyMfa).toResolvedValue(
      (...a) => new VerifyMfa(...a),
      [AccountTokens, T.UserStore, SecondFactor, T.MfaThrottle, StartSession, T.TokenService],
    );
    bind(T.BackgroundJobs)
      .toResolvedValue(
        (tokens: AccountTokens) =>
          repeatEvery(
            TOKEN_SWEEP_INTERVAL_MS,
            async () => {
              const removed = await tokens.deleteExpired();
              if (removed > 0) logger.info({ removed }, 'account tokens: expired ones removed');
            },
            (error) => logger.error({ err: error }, 'account token sweep failed'),
          ),
        [AccountTokens],
      )
      .onDeactivation((job) => job.stop());
    bind(T.Routes).toResolvedValue(
      (
        ...[
          verifyEmail,
          resendVerification,
          forgotPassword,
          resetPassword,
          confirmEmailChange,
          startTotp,
          confirmTotp,
          disableTotp,
          verifyMfa,
        ]
      ) =>
        (api) =>
          accountRoutes(api, {
            verifyEmail,
            resendVerification,
            forgotPassword,
            resetPassword,
            confirmEmailChange,
            startTotp,
            confirmTotp,
            disableTotp,
            verifyMfa,
            responseFloorMs: settings.responseFloorMs,
          }),
      [
        VerifyEmail,
        ResendVerification,
        ForgotPassword,
        ResetPassword,
        ConfirmEmailChange,
        StartTotpEnrolment,
        ConfirmTotpEnrolment,
        DisableTotp,
        VerifyMfa,
      ],
    );
  });
}
