import { invalid } from '../errors.js';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/**
 * A plain password, NFKC-normalized so that the same visible text always hashes the same.
 * Length is counted in code points after normalization.
 */
export class Password {
  private constructor(readonly value: string) {}

  static parse(raw: string, path = 'password'): Password {
    const value = raw.normalize('NFKC');
    const length = [...value].length;
    if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
      throw invalid('Password does not meet the rules.', [
        { path, message: `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters` },
      ]);
    }
    return new Password(value);
  }
}

/**
 * The `passwordHash` of an account that has no password (created by an OpenID sign-in): no hash
 * comparison ever matches it, so password login, change-password and disable-TOTP refuse it as a
 * wrong password. The user sets one through a password reset.
 */
export const NO_PASSWORD = '';
export const hasPassword = (user: { passwordHash: string }) => user.passwordHash !== NO_PASSWORD;
