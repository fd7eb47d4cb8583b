import { z } from 'zod';
import type { Passkey } from '../../../domain/passkey/passkey.js';
import { plainText } from './common.js';

/** Bytes as the browser's JSON helpers send them: base64url without padding. */
const base64url = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url')
    .max(max);
/** A credential id: at most 1023 bytes. */
const credentialId = base64url(1364).min(1);

const transports = z
  .array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']))
  .max(8)
  .meta({ description: 'How the browser can reach the authenticator' });

const common = {
  id: credentialId,
  rawId: credentialId,
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.strictObject({ credProps: z.strictObject({ rk: z.boolean().optional() }).optional() }),
};

/** `PublicKeyCredential.toJSON()` of a `navigator.credentials.create()` (RegistrationResponseJSON). */
export const RegistrationResponseSchema = z
  .strictObject({
    ...common,
    response: z.strictObject({
      clientDataJSON: base64url(8_192),
      attestationObject: base64url(65_536),
      authenticatorData: base64url(65_536).optional(),
      transports: transports.optional(),
      publicKeyAlgorithm: z.number().int().optional(),
      publicKey: base64url(8_192).optional(),
    }),
  })
  .meta({ id: 'PasskeyRegistrationResponse' });

/** `PublicKeyCredential.toJSON()` of a `navigator.credentials.get()` (AuthenticationResponseJSON). */
export const AuthenticationResponseSchema = z
  .strictObject({
    ...common,
    response: z.strictObject({
      clientDataJSON: base64url(8_192),
      authenticatorData: base64url(65_536),
      signature: base64url(8_192),
      userHandle: base64url(128).optional(),
    }),
  })
  .meta({ id: 'PasskeyAuthenticationResponse' });

export const RegisterPasskeyBody = z
  .strictObject({
    response: RegistrationResponseSchema,
    name: plainText().trim().min(1).max(100).optional().meta({ example: 'Laptop', description: 'Default "Passkey"' }),
  })
  .meta({ id: 'RegisterPasskeyRequest' });

export const PasskeySignInBody = z
  .strictObject({ response: AuthenticationResponseSchema })
  .meta({ id: 'PasskeySignInRequest' });

export const passkeyParams = z.object({ id: credentialId.meta({ description: 'The credential id (base64url)' }) });

const descriptor = z.object({ id: z.string(), type: z.literal('public-key'), transports: transports.optional() });

/** What `PublicKeyCredential.parseCreationOptionsFromJSON()` (or @simplewebauthn/browser) takes. */
export const CreationOptionsSchema = z
  .looseObject({
    rp: z.object({ id: z.string(), name: z.string() }),
    user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
    challenge: z.string().meta({ description: 'base64url; single use, bound to the caller, short-lived' }),
    pubKeyCredParams: z.array(z.object({ type: z.literal('public-key'), alg: z.number().int() })),
    timeout: z.number().int(),
    excludeCredentials: z.array(descriptor),
    authenticatorSelection: z.looseObject({
      residentKey: z.literal('required'),
      requireResidentKey: z.literal(true),
      userVerification: z.literal('preferred'),
    }),
    attestation: z.literal('none'),
  })
  .meta({ id: 'PasskeyCreationOptions' });

/** What `PublicKeyCredential.parseRequestOptionsFromJSON()` takes; allowCredentials is empty (discoverable). */
export const RequestOptionsSchema = z
  .looseObject({
    rpId: z.string(),
    challenge: z.string().meta({ description: 'base64url; single use, short-lived; the response carries it back' }),
    timeout: z.number().int(),
    allowCredentials: z.array(descriptor).max(0),
    userVerification: z.literal('preferred'),
  })
  .meta({ id: 'PasskeyRequestOptions' });

export const PasskeySchema = z
  .object({
    id: z.string().meta({ description: 'The credential id (base64url)' }),
    name: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    transports,
    backedUp: z.boolean().meta({ description: 'The key is synced (backed up) by its provider' }),
    deviceType: z.enum(['singleDevice', 'multiDevice']),
  })
  .meta({ id: 'Passkey' });

export const PasskeyListSchema = z.object({ items: z.array(PasskeySchema) }).meta({ id: 'PasskeyList' });

export const toPasskeyView = (p: Passkey): z.infer<typeof PasskeySchema> => ({
  id: p.id,
  name: p.name,
  createdAt: p.createdAt.toISOString(),
  lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
  transports: p.transports as z.infer<typeof transports>,
  backedUp: p.backedUp,
  deviceType: p.deviceType,
});
