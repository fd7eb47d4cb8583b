import { expect } from 'chai';
import { login, send, type Answer } from './http-client.js';
import { PORTICO_ADMIN } from './portico.js';
import { SoftAuthenticator } from './soft-authenticator.js';

/** The relying party the passkey suites configure: RP ID `localhost`, one page origin. */
export const RP_ID = 'localhost';
export const PAGE_ORIGIN = 'http://localhost:8123';
export const PASSKEY_ENV = { WEBAUTHN_RP_ID: RP_ID, WEBAUTHN_ORIGINS: PAGE_ORIGIN };

export const anAuthenticator = (options: { synced?: boolean; userVerified?: boolean } = {}) =>
  new SoftAuthenticator({ origin: PAGE_ORIGIN, rpId: RP_ID, ...options });

/** Registers `authenticator` as a passkey of the token's user: the 201 answer, whatever it is. */
export async function registerWith(
  app: { url: string },
  token: string,
  authenticator: SoftAuthenticator,
  extra: { name?: string; claims?: { origin?: string; rpId?: string } } = {},
): Promise<Answer> {
  const options = await send(app, 'POST', '/v1/auth/passkeys/register/options', { token });
  expect(options.status, options.text).to.equal(200);
  const response = authenticator.create(options.body as never, extra.claims);
  return send(app, 'POST', '/v1/auth/passkeys/register', { token, json: { response, name: extra.name } });
}

/** Fresh request options, answered by `authenticator`: the sign-in body, not sent yet. */
export async function signInBody(
  app: { url: string },
  authenticator: SoftAuthenticator,
  claims: { origin?: string; rpId?: string; counter?: number } = {},
) {
  const options = await send(app, 'POST', '/v1/auth/passkeys/login/options');
  expect(options.status, options.text).to.equal(200);
  return { response: authenticator.get(options.body as never, claims) };
}

export const signInWith = async (
  app: { url: string },
  authenticator: SoftAuthenticator,
  claims: { origin?: string; rpId?: string; counter?: number } = {},
) => send(app, 'POST', '/v1/auth/passkeys/login', { json: await signInBody(app, authenticator, claims) });

/** The admin sets a user's status (PATCH /v1/users/{id}). */
export async function setStatus(app: { url: string }, userId: string, status: 'active' | 'disabled'): Promise<void> {
  const token = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
  const res = await send(app, 'PATCH', `/v1/users/${userId}`, { token, json: { status } });
  expect(res.status, res.text).to.equal(200);
}
