import { z } from 'zod';
import { emailField, newPasswordField, plainText, presentedPasswordField } from './common.js';

/** A secret from a mailed link or a login answer: opaque, bounded, printable. */
const secretField = plainText().min(1).max(512);

export const TokenBody = z.strictObject({ token: secretField }).meta({ id: 'AccountTokenRequest' });

/**
 * A malformed address is a 400 whoever asks (that says nothing about accounts); a well-formed one
 * that names no account gets the same 202 as one that does.
 */
export const EmailBody = z.strictObject({ email: emailField }).meta({ id: 'AccountEmailRequest' });

export const ResetPasswordBody = z
  .strictObject({ token: secretField, newPassword: newPasswordField })
  .meta({ id: 'ResetPasswordRequest' });

/** Six digits as the app shows them; spaces are allowed (`123 456`). */
const totpCode = plainText()
  .min(6)
  .max(16)
  .meta({ example: '123456', description: 'The 6-digit code the authenticator app shows now' });
const recoveryCode = plainText()
  .min(1)
  .max(64)
  .meta({ example: 'k7mq-2v9d-x3hp-w8tc', description: 'One of the recovery codes; each works once' });

export const TotpCodeBody = z.strictObject({ code: totpCode }).meta({ id: 'TotpCodeRequest' });

/** Exactly one of `code` and `recoveryCode`. */
const proof = <S extends z.ZodRawShape>(shape: S, id: string) =>
  z.union([z.strictObject({ ...shape, code: totpCode }), z.strictObject({ ...shape, recoveryCode })]).meta({ id });

export const MfaVerifyBody = proof({ challenge: secretField }, 'MfaVerifyRequest');
export const DisableTotpBody = proof({ password: presentedPasswordField }, 'DisableTotpRequest');

export const TotpEnrolmentSchema = z
  .object({
    secret: z.string().meta({ description: 'Base32; for typing into the app by hand' }),
    otpauthUri: z.string().meta({ description: 'otpauth://totp/... to show as a QR code' }),
  })
  .meta({ id: 'TotpEnrolment' });

export const RecoveryCodesSchema = z
  .object({
    recoveryCodes: z
      .array(z.string())
      .length(10)
      .meta({ description: 'Shown this once; each signs in once in place of a code' }),
  })
  .meta({ id: 'RecoveryCodes' });

export const AcceptedSchema = z.object({ status: z.literal('accepted') }).meta({ id: 'Accepted' });
