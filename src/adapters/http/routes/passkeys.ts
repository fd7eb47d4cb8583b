import type {
  FinishPasskeyRegistration,
  StartPasskeyRegistration,
} from '../../../application/passkeys/passkey-registration.js';
import type { FinishPasskeySignIn, StartPasskeySignIn } from '../../../application/passkeys/passkey-sign-in.js';
import type { ListPasskeys, RemovePasskey } from '../../../application/passkeys/manage-passkeys.js';
import { passkeyNotFound } from '../../../domain/passkey/passkey-errors.js';
import { defineRoute, type Api } from '../route.js';
import { tokenPair, TokenPairSchema } from '../schemas/auth.js';
import {
  CreationOptionsSchema,
  PasskeyListSchema,
  passkeyParams,
  PasskeySchema,
  PasskeySignInBody,
  RegisterPasskeyBody,
  RequestOptionsSchema,
  toPasskeyView,
} from '../schemas/passkeys.js';

export interface PasskeyDeps {
  startRegistration: StartPasskeyRegistration;
  finishRegistration: FinishPasskeyRegistration;
  startSignIn: StartPasskeySignIn;
  finishSignIn: FinishPasskeySignIn;
  listPasskeys: ListPasskeys;
  removePasskey: RemovePasskey;
}

const tag = 'passkeys';

/** WebAuthn passkeys: registration while signed in, discoverable sign-in, list and removal (docs/accounts.md). */
export function passkeyRoutes(api: Api, deps: PasskeyDeps): void {
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/passkeys/register/options',
    operationId: 'passkeyRegistrationOptions',
    summary: 'Creation options for a new passkey of the caller (a challenge bound to the caller, single use)',
    tag,
    auth: true,
    success: { status: 200, description: 'PublicKeyCredentialCreationOptionsJSON', schema: CreationOptionsSchema },
    handle: async (ctx, { actor }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await deps.startRegistration.execute({ actor });
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/passkeys/register',
    operationId: 'registerPasskey',
    summary: "Add a passkey from the browser's answer to the creation options",
    tag,
    auth: true,
    body: RegisterPasskeyBody,
    success: { status: 201, description: 'The new passkey', schema: PasskeySchema },
    // 400 AUTH.PASSKEY_CHALLENGE_INVALID or AUTH.PASSKEY_REGISTRATION_INVALID; 409 AUTH.PASSKEY_EXISTS.
    problems: [409],
    handle: async (ctx, { actor, body }) => {
      const passkey = await deps.finishRegistration.execute({ actor, response: body.response, name: body.name });
      ctx.status = 201;
      ctx.body = toPasskeyView(passkey);
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/passkeys/login/options',
    operationId: 'passkeySignInOptions',
    summary: 'Request options for a passkey sign-in: any discoverable credential, no email asked',
    tag,
    auth: false,
    success: { status: 200, description: 'PublicKeyCredentialRequestOptionsJSON', schema: RequestOptionsSchema },
    rateLimited: true,
    problems: [429],
    handle: async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await deps.startSignIn.execute({ client: ctx.ip });
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/passkeys/login',
    operationId: 'passkeySignIn',
    summary: "Sign in with the browser's answer to the request options: tokens, as login (no TOTP asked)",
    tag,
    auth: false,
    body: PasskeySignInBody,
    success: { status: 200, description: 'Tokens, as login', schema: TokenPairSchema },
    rateLimited: true,
    // 401 AUTH.PASSKEY_INVALID; 400 AUTH.PASSKEY_CHALLENGE_INVALID; 403 AUTH.ACCOUNT_DISABLED, AUTH.EMAIL_UNVERIFIED.
    problems: [401, 403, 429],
    handle: async (ctx, { body }) => {
      const input = { response: body.response, credentialId: body.response.id, client: ctx.ip };
      ctx.body = tokenPair(await deps.finishSignIn.execute(input));
    },
  });
  defineRoute(api, {
    method: 'get',
    path: '/v1/auth/passkeys',
    operationId: 'listPasskeys',
    summary: "The caller's passkeys, oldest first",
    tag,
    auth: true,
    success: { status: 200, description: 'The passkeys', schema: PasskeyListSchema },
    handle: async (ctx, { actor }) => {
      ctx.body = { items: (await deps.listPasskeys.execute({ actor })).map(toPasskeyView) };
    },
  });
  defineRoute(api, {
    method: 'delete',
    path: '/v1/auth/passkeys/{id}',
    operationId: 'removePasskey',
    summary: "Remove one of the caller's passkeys (never the account's last way to sign in)",
    tag,
    auth: true,
    params: passkeyParams,
    paramsNotFound: passkeyNotFound,
    success: { status: 204, description: 'Removed' },
    problems: [404, 409],
    handle: async (ctx, { actor, params }) => {
      await deps.removePasskey.execute({ actor, id: params.id });
      ctx.status = 204;
    },
  });
}
