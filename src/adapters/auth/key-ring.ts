import type { Clock } from '../../domain/ports/clock.js';
import { signingKeyFromPem, type SigningKey } from './signing-key.js';

export interface KeyRingOptions {
  clock: Clock;
  /** How long a replaced key keeps verifying (and stays in the JWKS): at least the access-token lifetime. */
  retireAfterSeconds: number;
}

/**
 * The newest key signs; each key it replaced keeps verifying until every token it signed has expired,
 * so a rotation logs nobody out. Hand `ring.keys` to JoseTokenService: the first key signs.
 */
export class KeyRing {
  private retiring: Array<{ key: SigningKey; until: number }> = [];

  constructor(
    private current: SigningKey,
    private readonly options: KeyRingOptions,
  ) {}

  static async fromPem(pem: string, options: KeyRingOptions): Promise<KeyRing> {
    return new KeyRing(await parse(pem), options);
  }

  get currentKid(): string {
    return this.current.kid;
  }

  readonly keys = (): SigningKey[] => {
    const now = this.now();
    this.retiring = this.retiring.filter((r) => r.until > now);
    return [this.current, ...this.retiring.map((r) => r.key)];
  };

  /** Signs with `pem` from now on; false when it is the key already in use. A bad key throws and changes nothing. */
  async rotateTo(pem: string): Promise<boolean> {
    const next = await parse(pem);
    if (next.kid === this.current.kid) return false;
    const until = this.now() + this.options.retireAfterSeconds * 1000;
    this.retiring = [{ key: this.current, until }, ...this.retiring.filter((r) => r.key.kid !== next.kid)];
    this.current = next;
    return true;
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }
}

async function parse(pem: string): Promise<SigningKey> {
  try {
    return await signingKeyFromPem(pem);
  } catch {
    // node:crypto's own message says nothing useful about which setting is wrong.
    throw new Error('JWT_PRIVATE_KEY is not a P-256 (ES256) or Ed25519 (EdDSA) private key in PEM');
  }
}
