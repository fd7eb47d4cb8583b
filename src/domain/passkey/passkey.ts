/** How a credential's private key is kept: on one device only, or synced between devices (RFC 8176 hwk / swk). */
export type PasskeyDeviceType = 'singleDevice' | 'multiDevice';

/**
 * A WebAuthn credential registered by a user: a discoverable public-key credential ("passkey").
 * `id` is the credential id as base64url, the same on every backend; `counter` is the authenticator's
 * signature counter as last seen (many synced passkeys always send 0, which disables the check).
 */
export class Passkey {
  constructor(
    public id: string,
    public userId: string,
    public publicKey: Uint8Array,
    public counter: number,
    /** What the browser reported the authenticator could be reached by ('internal', 'hybrid', 'usb' ...). */
    public transports: string[],
    public deviceType: PasskeyDeviceType,
    public backedUp: boolean,
    public name: string,
    public createdAt: Date,
    public lastUsedAt: Date | null = null,
  ) {}
}

export type PasskeyCeremony = 'registration' | 'authentication';

/**
 * A challenge the server handed out for one ceremony: single use, short-lived. The challenge itself
 * (base64url of 32 random bytes) is its id, so the client needs no other handle: the browser signs
 * it into `clientDataJSON`, and the server finds it there. A registration challenge is bound to the
 * user who asked for it; a sign-in challenge to nobody (the credential says who signs in).
 */
export class PasskeyChallenge {
  constructor(
    public id: string,
    public ceremony: PasskeyCeremony,
    public userId: string | null,
    public createdAt: Date,
    public expiresAt: Date,
  ) {}
}
