import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

export interface SoftAuthenticatorOptions {
  /** The page origin the "browser" reports in clientDataJSON. */
  origin: string;
  /** The RP ID whose hash goes into authenticatorData. */
  rpId: string;
  /** Backup eligible and backed up (a synced passkey): BE and BS set. */
  synced?: boolean;
  userVerified?: boolean;
}

/**
 * A passkey authenticator and the browser around it, in software (tests only): it answers the
 * server's options as `PublicKeyCredential.toJSON()` would, with "none" attestation and an ES256
 * key. Its signature counter and what it claims (origin, RP ID, counter) can be set per call, to
 * make the answers a real browser would never send.
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  counter = 0;
  userHandle: string | undefined;

  constructor(private readonly options: SoftAuthenticatorOptions) {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  }

  get id(): string {
    return b64u(this.credentialId);
  }

  private flags(attested: boolean): number {
    const { synced, userVerified = true } = this.options;
    return 0x01 | (userVerified ? 0x04 : 0) | (synced ? 0x18 : 0) | (attested ? 0x40 : 0);
  }

  private clientData(type: string, challenge: string, origin = this.options.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  private coseKey(): Uint8Array {
    const jwk = this.publicKey.export({ format: 'jwk' });
    const [x, y] = [Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')];
    return isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, new Uint8Array(x)],
        [-3, new Uint8Array(y)],
      ]),
    );
  }

  /** The answer to creation options: `{ challenge, user: { id } }` is all it reads. */
  create(options: { challenge: string; user: { id: string } }, claims: { origin?: string; rpId?: string } = {}) {
    this.userHandle = options.user.id;
    const attested = Buffer.concat([
      Buffer.alloc(16),
      Buffer.from([this.credentialId.length >> 8, this.credentialId.length & 0xff]),
      this.credentialId,
      this.coseKey(),
    ]);
    const authData = Buffer.concat([
      sha256(claims.rpId ?? this.options.rpId),
      Buffer.from([this.flags(true)]),
      u32(this.counter),
      attested,
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authData)],
      ]) as never,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
      response: {
        clientDataJSON: b64u(this.clientData('webauthn.create', options.challenge, claims.origin)),
        attestationObject: b64u(attestationObject),
        transports: ['internal' as const],
      },
    };
  }

  /** The answer to request options; each answer counts up, unless `counter` says what to claim. */
  get(options: { challenge: string }, claims: { origin?: string; rpId?: string; counter?: number } = {}) {
    this.counter = claims.counter ?? this.counter + 1;
    const authData = Buffer.concat([
      sha256(claims.rpId ?? this.options.rpId),
      Buffer.from([this.flags(false)]),
      u32(this.counter),
    ]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, claims.origin);
    const signature = createSign('sha256')
      .update(Buffer.concat([authData, sha256(clientDataJSON)]))
      .sign(this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
    };
  }
}
