import { NobleCryptoPlugin, ScureBase32Plugin, TOTP } from 'otplib';
import type { Totp } from '../../domain/ports/totp.js';

const SIX_DIGITS = /^[0-9]{6}$/;

/**
 * RFC 6238 codes as authenticator apps compute them: SHA-1, 6 digits, `periodSeconds` steps. A code
 * matches the step before, at or after the time given, to bear a phone's clock drift.
 */
export class OtplibTotp implements Totp {
  private readonly totp: TOTP;

  constructor(readonly periodSeconds = 30) {
    this.totp = new TOTP({
      algorithm: 'sha1',
      digits: 6,
      period: periodSeconds,
      crypto: new NobleCryptoPlugin(),
      base32: new ScureBase32Plugin(),
    });
  }

  /** 20 random bytes (160 bits, RFC 4226's recommendation), base32. */
  generateSecret(): string {
    return this.totp.generateSecret();
  }

  uri({ secret, account, issuer }: { secret: string; account: string; issuer: string }): string {
    return this.totp.toURI({ secret, label: account, issuer });
  }

  async matchStep({ code, secret, at }: { code: string; secret: string; at: Date }): Promise<number | null> {
    const token = code.replace(/\s+/g, '');
    // Anything but six ASCII digits is refused before any HMAC is computed (and before otplib would throw).
    if (!SIX_DIGITS.test(token)) return null;
    const result = await this.totp.verify(token, {
      secret,
      epoch: Math.floor(at.getTime() / 1000),
      // A tolerance of one period in seconds spans exactly the steps t-1, t and t+1.
      epochTolerance: this.periodSeconds,
    });
    return result.valid ? result.timeStep : null;
  }
}
