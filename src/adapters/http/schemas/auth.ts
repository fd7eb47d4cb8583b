import { z } from 'zod';
import type { LoginResult } from '../../../application/auth/login.js';
import {
  emailField,
  emailLookupField,
  nameField,
  newPasswordField,
  plainText,
  presentedPasswordField,
} from './common.js';

export const RegisterBody = z
  .strictObject({ email: emailField, password: newPasswordField, name: nameField })
  .meta({ id: 'RegisterRequest' });

/** Login does not re-validate the email shape: a bad one simply matches no account (401). */
export const LoginBody = z
  .strictObject({ email: emailLookupField, password: presentedPasswordField })
  .meta({ id: 'LoginRequest' });

export const TokenPairSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: 'Seconds until the access token expires' }),
    refreshToken: z.string(),
  })
  .meta({ id: 'TokenPair' });

/** What login, refresh and the second factor answer. */
export const tokenPair = (result: LoginResult): z.infer<typeof TokenPairSchema> => ({
  accessToken: result.access.token,
  tokenType: 'Bearer',
  expiresIn: result.access.expiresIn,
  refreshToken: result.refreshToken,
});

export const ChangePasswordBody = z
  .strictObject({ currentPassword: presentedPasswordField, newPassword: newPasswordField })
  .meta({ id: 'ChangePasswordRequest' });

export const JwksSchema = z
  .object({
    keys: z.array(z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.literal('sig') })),
  })
  .meta({ id: 'JsonWebKeySet' });

export const RefreshBody = z.strictObject({ refreshToken: plainText().min(1).max(512) }).meta({ id: 'RefreshRequest' });
