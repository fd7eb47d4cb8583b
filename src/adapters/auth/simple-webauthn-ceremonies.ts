import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type {
  PasskeyCeremonies,
  PasskeyOwner,
  RegisteredCredential,
  VerifiedSignIn,
  WebAuthnOptions,
} from '../../domain/ports/passkey-ceremonies.js';
import type { Passkey } from '../../domain/passkey/passkey.js';
import { passkeyInvalid, passkeyRegistrationInvalid } from '../../domain/passkey/passkey-errors.js';

/** The relying party: WEBAUTHN_RP_ID, WEBAUTHN_RP_NAME, WEBAUTHN_ORIGINS (see config/webauthn.ts). */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
  /** How long the browser waits for the user (the challenge's lifetime). */
  timeoutMs: number;
}

/** ES256 and EdDSA, then RS256 (Windows Hello): what the authenticators people have can make. */
const ALGORITHMS = [-7, -8, -257];

/** The library base64url-encodes the bytes it is given (a string, as its UTF-8), so it gets the challenge's bytes. */
const bytesOf = (challenge: string) => new Uint8Array(Buffer.from(challenge, 'base64url'));

const clientDataOf = (response: unknown): Record<string, unknown> | null => {
  const encoded = (response as { response?: { clientDataJSON?: unknown } } | null)?.response?.clientDataJSON;
  if (typeof encoded !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * The ceremonies through @simplewebauthn/server: discoverable credentials (resident key required),
 * user verification preferred, no attestation asked (none is checked against a metadata service).
 * Every check the library makes (challenge, origin, RP ID hash, type, user presence, signature,
 * counter) is a refusal here; the library's own message is never shown (it can quote the response).
 */
export class SimpleWebAuthnCeremonies implements PasskeyCeremonies {
  constructor(private readonly rp: RelyingParty) {}

  newChallenge(): string {
    return randomBytes(32).toString('base64url');
  }

  challengeOf(response: unknown): string | null {
    const challenge = clientDataOf(response)?.challenge;
    return typeof challenge === 'string' && challenge.length > 0 ? challenge : null;
  }

  userHandleOf(response: unknown): string | null {
    const handle = (response as { response?: { userHandle?: unknown } } | null)?.response?.userHandle;
    return typeof handle === 'string' && handle !== '' ? Buffer.from(handle, 'base64url').toString('utf8') : null;
  }

  registrationOptions(input: {
    challenge: string;
    user: PasskeyOwner;
    exclude: Pick<Passkey, 'id' | 'transports'>[];
  }): Promise<WebAuthnOptions> {
    return generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      // The user handle is the user's id, so a discoverable sign-in names the account it is for.
      userID: new TextEncoder().encode(input.user.id),
      userName: input.user.email,
      userDisplayName: input.user.name,
      challenge: bytesOf(input.challenge),
      timeout: this.rp.timeoutMs,
      attestationType: 'none',
      excludeCredentials: input.exclude.map((p) => ({
        id: p.id,
        transports: p.transports as AuthenticatorTransportFuture[],
      })),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
      supportedAlgorithmIDs: ALGORITHMS,
    }) as unknown as Promise<WebAuthnOptions>;
  }

  async verifyRegistration(response: unknown, challenge: string): Promise<RegisteredCredential> {
    const result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: this.rp.origins,
      expectedRPID: this.rp.id,
      requireUserVerification: false,
      supportedAlgorithmIDs: ALGORITHMS,
    }).catch(() => ({ verified: false as const }));
    if (!result.verified) throw passkeyRegistrationInvalid();
    const info = result.registrationInfo;
    return {
      id: info.credential.id,
      publicKey: new Uint8Array(info.credential.publicKey),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
    };
  }

  signInOptions(challenge: string): Promise<WebAuthnOptions> {
    return generateAuthenticationOptions({
      rpID: this.rp.id,
      allowCredentials: [],
      challenge: bytesOf(challenge),
      timeout: this.rp.timeoutMs,
      userVerification: 'preferred',
    }) as unknown as Promise<WebAuthnOptions>;
  }

  async verifySignIn(response: unknown, challenge: string, passkey: Passkey): Promise<VerifiedSignIn> {
    const result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: this.rp.origins,
      expectedRPID: this.rp.id,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports as AuthenticatorTransportFuture[],
      },
      requireUserVerification: false,
    }).catch(() => null);
    if (!result?.verified) throw passkeyInvalid();
    const info = result.authenticationInfo;
    return {
      counter: info.newCounter,
      userVerified: info.userVerified,
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
    };
  }
}
