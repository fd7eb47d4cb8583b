import type { Passkey, PasskeyDeviceType } from '../passkey/passkey.js';

/** WebAuthn options as the browser's JSON helpers take them (PublicKeyCredential*OptionsJSON). */
export type WebAuthnOptions = Record<string, unknown>;

export interface PasskeyOwner {
  id: string;
  email: string;
  name: string;
}

/** A registration the ceremony verified: what is kept of the new credential. */
export interface RegisteredCredential {
  id: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: PasskeyDeviceType;
  backedUp: boolean;
}

/** A sign-in assertion the ceremony verified against a stored passkey. */
export interface VerifiedSignIn {
  counter: number;
  userVerified: boolean;
  deviceType: PasskeyDeviceType;
  backedUp: boolean;
}

/**
 * The WebAuthn ceremonies, with the relying party (its ID, name and the origins it expects) fixed by
 * configuration. Responses arrive as the browser's JSON (`PublicKeyCredential.toJSON()`), already
 * shape-checked at the edge. The verify methods check origin, RP ID, challenge, signature and the
 * counter, and throw the passkey DomainErrors on refusal.
 */
export interface PasskeyCeremonies {
  /** A fresh challenge: base64url of 32 random bytes. */
  newChallenge(): string;
  /** The challenge a response's clientDataJSON carries; null when none can be read. */
  challengeOf(response: unknown): string | null;
  /** The user handle (our user id) a sign-in response names; null when it names none. */
  userHandleOf(response: unknown): string | null;
  registrationOptions(input: {
    challenge: string;
    user: PasskeyOwner;
    exclude: Pick<Passkey, 'id' | 'transports'>[];
  }): Promise<WebAuthnOptions>;
  /** Throws AUTH.PASSKEY_REGISTRATION_INVALID. */
  verifyRegistration(response: unknown, challenge: string): Promise<RegisteredCredential>;
  signInOptions(challenge: string): Promise<WebAuthnOptions>;
  /** Throws AUTH.PASSKEY_INVALID (a counter that went backwards included). */
  verifySignIn(response: unknown, challenge: string, passkey: Passkey): Promise<VerifiedSignIn>;
}
