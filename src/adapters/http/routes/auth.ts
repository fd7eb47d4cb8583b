import type { ChangePassword } from '../../../application/auth/change-password.js';
import type { Login } from '../../../application/auth/login.js';
import type { GetUser } from '../../../application/users/get-user.js';
import type { RegisterUser } from '../../../application/users/register-user.js';
import { notFound } from '../../../domain/errors.js';
import type { TokenService } from '../../../domain/ports/token-service.js';
import { defineRoute, type Api } from '../route.js';
import {
  ChangePasswordBody,
  JwksSchema,
  LoginBody,
  RegisterBody,
  tokenPair,
  TokenPairSchema,
} from '../schemas/auth.js';
import { idParams } from '../schemas/common.js';
import { toUserView, UserEnvelope } from '../schemas/users.js';
import { answerUser } from './users.js';

export interface AuthDeps {
  registerUser: RegisterUser;
  login: Login;
  getUser: GetUser;
  changePassword: ChangePassword;
  tokens: Pick<TokenService, 'jwks'>;
}

const LOCATION = { Location: { description: 'The new user', schema: { type: 'string' as const } } };

export function authRoutes(api: Api, deps: AuthDeps): void {
  defineRoute(api, {
    method: 'get',
    path: '/.well-known/jwks.json',
    operationId: 'jwks',
    summary: 'Public keys that verify access tokens',
    tag: 'auth',
    auth: false,
    success: { status: 200, description: 'JWK Set', schema: JwksSchema },
    handle: async (ctx) => {
      ctx.body = await deps.tokens.jwks();
      // Public and shared by every caller; a short cache still lets a rotation show up soon.
      ctx.set('Cache-Control', 'public, max-age=300');
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/register',
    operationId: 'register',
    idempotent: true,
    summary: 'Create an account',
    tag: 'auth',
    auth: false,
    body: RegisterBody,
    success: { status: 201, description: 'Created', schema: UserEnvelope, headers: LOCATION },
    problems: [409],
    handle: async (ctx, { body }) => {
      const user = await deps.registerUser.execute(body);
      ctx.status = 201;
      ctx.set('Location', `/v1/users/${user.id}`);
      ctx.body = { user: toUserView(user) };
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/login',
    operationId: 'login',
    summary: 'Exchange email and password for tokens (or, with TOTP on, for a challenge)',
    tag: 'auth',
    auth: false,
    body: LoginBody,
    success: { status: 200, description: 'Tokens', schema: TokenPairSchema },
    rateLimited: true,
    // 401 AUTH.MFA_REQUIRED (with a `challenge`) for a user with TOTP; 403 AUTH.EMAIL_UNVERIFIED
    // when REQUIRE_VERIFIED_EMAIL is on.
    problems: [401, 403, 429],
    handle: async (ctx, { body }) => {
      ctx.body = tokenPair(await deps.login.execute({ ...body, client: ctx.ip }));
    },
  });
  defineRoute(api, {
    method: 'get',
    path: '/v1/auth/me',
    operationId: 'me',
    summary: 'The calling user',
    tag: 'auth',
    auth: true,
    success: { status: 200, description: 'The caller', schema: UserEnvelope },
    conditional: 'read',
    handle: async (ctx, { actor }) => {
      answerUser(ctx, await deps.getUser.execute({ actor, id: actor.id }));
    },
  });
  defineRoute(api, {
    method: 'put',
    path: '/v1/users/{id}/password',
    operationId: 'changePassword',
    summary: "Change one's own password; every session of the user ends",
    tag: 'auth',
    auth: true,
    params: idParams,
    paramsNotFound: notFound,
    body: ChangePasswordBody,
    success: { status: 204, description: 'Changed' },
    problems: [403],
    handle: async (ctx, { actor, params, body }) => {
      await deps.changePassword.execute({ actor, id: params.id, ...body });
      ctx.status = 204;
    },
  });
}
