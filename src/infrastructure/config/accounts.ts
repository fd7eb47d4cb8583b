import { z } from 'zod';
import { bool, days, int, list, type Rule } from './helpers.js';
import type { ServerValues } from './server.js';

const KEY_BYTES = 32;

/** Standard base64 of exactly 32 bytes, padding optional (`openssl rand -base64 32`). */
const isKey = (text: string) => {
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === KEY_BYTES && bytes.toString('base64').replace(/=+$/, '') === text.replace(/=+$/, '');
};

/** An http(s) URL without query or fragment: paths and a token are appended to it. */
const isAppUrl = (text: string) => URL.canParse(text) && /^https?:\/\/[^?#]+$/i.test(text);
const appUrl = z
  .string()
  .refine(isAppUrl, 'must be an http:// or https:// URL with no query or fragment')
  .transform((text) => new URL(text).href.replace(/\/+$/, ''));

export const accountsFields = {
  PUBLIC_APP_URL: appUrl.optional(),
  REQUIRE_VERIFIED_EMAIL: bool.default(false),
  EMAIL_VERIFY_TTL_S: int(300, 604_800).default(86_400),
  PASSWORD_RESET_TTL_S: int(300, 86_400).default(1_800),
  EMAIL_CHANGE_TTL_S: int(300, 604_800).default(86_400),
  MFA_CHALLENGE_TTL_S: int(30, 3_600).default(300),
  USER_RESTORE_DAYS: days.default(30),
  USER_PURGE_INTERVAL_SECONDS: int(0, 604_800).default(3_600),
  ACCOUNT_RESPONSE_FLOOR_MS: int(0, 5_000).default(250),
  ACCOUNT_MAIL_MAX_PER_ADDRESS: int(1, 1_000).default(3),
  ACCOUNT_MAIL_MAX_PER_CLIENT: int(1, 100_000).default(20),
  ACCOUNT_MAIL_WINDOW_S: int(60, 86_400).default(3_600),
  MFA_MAX_FAILURES: int(1, 1_000).default(5),
  MFA_THROTTLE_WINDOW_S: int(1, 86_400).default(900),
  // The otpauth label is `issuer:account`, so a colon would split it in the wrong place.
  TOTP_ISSUER: z
    .string()
    .trim()
    .refine((text) => /^[^:]{1,64}$/.test(text), 'must be 1 to 64 characters, without ":"')
    .default('Portico'),
  /** A secret: comma-separated keys, the first seals. The message names the setting, never a key. */
  MFA_ENCRYPTION_KEY: list
    .refine(
      (keys) => keys.length > 0 && keys.every(isKey),
      `must be one or more comma-separated base64 keys of ${KEY_BYTES} bytes each`,
    )
    .optional(),
};
type AccountsValues = z.output<z.ZodObject<typeof accountsFields>>;

export const accountsRules: Rule<AccountsValues & Pick<ServerValues, 'NODE_ENV'>>[] = [
  {
    name: 'PUBLIC_APP_URL',
    reads: ['NODE_ENV', 'PUBLIC_APP_URL'],
    message: 'required in production',
    broken: (v) => v.NODE_ENV === 'production' && !v.PUBLIC_APP_URL,
  },
  {
    name: 'MFA_ENCRYPTION_KEY',
    reads: ['NODE_ENV', 'MFA_ENCRYPTION_KEY'],
    message: 'required in production',
    broken: (v) => v.NODE_ENV === 'production' && !v.MFA_ENCRYPTION_KEY,
  },
];

/**
 * `config.accounts`: email verification, password reset, email change and two-factor sign-in. The
 * throttles fit the login throttle's `ThrottleSettings`; a client may fail the second factor four
 * times as often as one account may, as at login (5 and 20 by default).
 */
export const accounts = (v: AccountsValues) => ({
  /** No trailing slash: links are `${publicAppUrl}/verify-email?token=...`. */
  publicAppUrl: v.PUBLIC_APP_URL ?? 'http://localhost:3000',
  requireVerifiedEmail: v.REQUIRE_VERIFIED_EMAIL,
  ttlSeconds: {
    verifyEmail: v.EMAIL_VERIFY_TTL_S,
    resetPassword: v.PASSWORD_RESET_TTL_S,
    changeEmail: v.EMAIL_CHANGE_TTL_S,
    mfaChallenge: v.MFA_CHALLENGE_TTL_S,
  },
  /** The least time the forgot-password and resend answers take, so a known address answers no slower. */
  responseFloorMs: v.ACCOUNT_RESPONSE_FLOOR_MS,
  /** Forgot-password and resend requests: per address, per client, within the window. */
  mailThrottle: {
    perAccount: v.ACCOUNT_MAIL_MAX_PER_ADDRESS,
    perClient: v.ACCOUNT_MAIL_MAX_PER_CLIENT,
    windowSeconds: v.ACCOUNT_MAIL_WINDOW_S,
  },
  /** Failed second-factor codes: per user, and four times that per client. */
  mfaThrottle: {
    perAccount: v.MFA_MAX_FAILURES,
    perClient: 4 * v.MFA_MAX_FAILURES,
    windowSeconds: v.MFA_THROTTLE_WINDOW_S,
  },
  totpIssuer: v.TOTP_ISSUER,
  /**
   * Soft-deleted users can be restored for `restoreDays` (0: not at all); a purge every
   * `purgeIntervalSeconds` (0: never, in this process) then deletes them with their files.
   */
  deletedUsers: { restoreDays: v.USER_RESTORE_DAYS, purgeIntervalSeconds: v.USER_PURGE_INTERVAL_SECONDS },
  /**
   * Base64, the sealing key first. Empty outside production when MFA_ENCRYPTION_KEY is unset: the
   * composition root then derives one key from the signing key.
   */
  encryptionKeys: v.MFA_ENCRYPTION_KEY ?? [],
});
