import { setTimeout as sleep } from 'node:timers/promises';
import type { ConfirmEmailChange } from '../../../application/accounts/confirm-email-change.js';
import type { ForgotPassword, ResendVerification } from '../../../application/accounts/request-account-mail.js';
import type { ResetPassword } from '../../../application/accounts/reset-password.js';
import type {
  ConfirmTotpEnrolment,
  DisableTotp,
  StartTotpEnrolment,
} from '../../../application/accounts/totp-enrolment.js';
import type { VerifyEmail } from '../../../application/accounts/verify-email.js';
import type { VerifyMfa } from '../../../application/accounts/verify-mfa.js';
import type { RouteContext } from '../context.js';
import { defineRoute, type Api } from '../route.js';
import {
  AcceptedSchema,
  DisableTotpBody,
  EmailBody,
  MfaVerifyBody,
  RecoveryCodesSchema,
  ResetPasswordBody,
  TokenBody,
  TotpCodeBody,
  TotpEnrolmentSchema,
} from '../schemas/accounts.js';
import { tokenPair, TokenPairSchema } from '../schemas/auth.js';

export interface AccountDeps {
  verifyEmail: VerifyEmail;
  resendVerification: ResendVerification;
  forgotPassword: ForgotPassword;
  resetPassword: ResetPassword;
  confirmEmailChange: ConfirmEmailChange;
  startTotp: StartTotpEnrolment;
  confirmTotp: ConfirmTotpEnrolment;
  disableTotp: DisableTotp;
  verifyMfa: VerifyMfa;
  /** The least time the answers that must not tell whether an address exists take. */
  responseFloorMs: number;
}

/**
 * Answers no sooner than `floorMs` after it started, whatever the work did: an address with an
 * account (a token written, a mail queued) does not answer later than one without.
 */
async function evenly<T>(floorMs: number, work: Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work;
  } finally {
    const left = floorMs - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}

/** One body for every address, with an account or without. */
const accepted = (ctx: RouteContext) => {
  ctx.status = 202;
  ctx.body = { status: 'accepted' };
};
const noContent = (ctx: RouteContext) => {
  ctx.status = 204;
};

/**
 * A request anyone may make for any address: `202 {"status":"accepted"}` whether or not it has an
 * account, no sooner than the floor after it came.
 */
function mailRequestRoute(
  api: Api,
  deps: Pick<AccountDeps, 'responseFloorMs'>,
  route: { path: string; operationId: string; summary: string; useCase: ForgotPassword | ResendVerification },
): void {
  defineRoute(api, {
    method: 'post',
    path: route.path,
    operationId: route.operationId,
    summary: route.summary,
    tag: 'accounts',
    auth: false,
    body: EmailBody,
    success: {
      status: 202,
      description: 'Accepted, whether or not the address has an account',
      schema: AcceptedSchema,
    },
    rateLimited: true,
    problems: [429],
    handle: async (ctx, { body }) => {
      await evenly(deps.responseFloorMs, route.useCase.execute({ ...body, client: ctx.ip }));
      accepted(ctx);
    },
  });
}

/** Email verification, password reset, email change and TOTP two-factor (docs/accounts.md). */
export function accountRoutes(api: Api, deps: AccountDeps): void {
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/email/verify',
    operationId: 'verifyEmail',
    summary: 'Follow a verification link: the email is verified',
    tag: 'accounts',
    auth: false,
    body: TokenBody,
    success: { status: 204, description: 'Verified' },
    handle: async (ctx, { body }) => {
      await deps.verifyEmail.execute(body);
      noContent(ctx);
    },
  });
  mailRequestRoute(api, deps, {
    path: '/v1/auth/email/verify/resend',
    operationId: 'resendVerification',
    summary:
      'Mail a new verification link (only to an existing, unverified account; the answer is the same either way)',
    useCase: deps.resendVerification,
  });
  mailRequestRoute(api, deps, {
    path: '/v1/auth/password/forgot',
    operationId: 'forgotPassword',
    summary: 'Mail a password-reset link (only if the account exists; the answer is the same either way)',
    useCase: deps.forgotPassword,
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/password/reset',
    operationId: 'resetPassword',
    summary: 'Set a new password from a reset link; every session of the user ends',
    tag: 'accounts',
    auth: false,
    body: ResetPasswordBody,
    success: { status: 204, description: 'Password set' },
    handle: async (ctx, { body }) => {
      await deps.resetPassword.execute(body);
      noContent(ctx);
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/email/confirm',
    operationId: 'confirmEmailChange',
    summary: 'Follow the link mailed to a new address: it becomes the email',
    tag: 'accounts',
    auth: false,
    body: TokenBody,
    success: { status: 204, description: 'Email changed' },
    problems: [409],
    handle: async (ctx, { body }) => {
      await deps.confirmEmailChange.execute(body);
      noContent(ctx);
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/mfa/totp',
    operationId: 'startTotp',
    summary: 'Start TOTP enrolment: a new secret, required at login once confirmed',
    tag: 'accounts',
    auth: true,
    success: { status: 201, description: 'Enrolment started', schema: TotpEnrolmentSchema },
    problems: [409],
    handle: async (ctx, { actor }) => {
      const enrolment = await deps.startTotp.execute({ actor });
      ctx.status = 201;
      // The secret is shown this once; no cache may keep it.
      ctx.set('Cache-Control', 'no-store');
      ctx.body = enrolment;
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/mfa/totp/confirm',
    operationId: 'confirmTotp',
    summary: 'Confirm TOTP enrolment with a first code: TOTP is on; ten recovery codes, shown once',
    tag: 'accounts',
    auth: true,
    body: TotpCodeBody,
    success: { status: 200, description: 'TOTP on', schema: RecoveryCodesSchema },
    problems: [409],
    handle: async (ctx, { actor, body }) => {
      const result = await deps.confirmTotp.execute({ actor, ...body });
      ctx.set('Cache-Control', 'no-store');
      ctx.body = result;
    },
  });
  defineRoute(api, {
    method: 'delete',
    path: '/v1/auth/mfa/totp',
    operationId: 'disableTotp',
    summary: 'Turn TOTP off, proving the password and a code (or a recovery code)',
    tag: 'accounts',
    auth: true,
    body: DisableTotpBody,
    success: { status: 204, description: 'TOTP off' },
    rateLimited: true,
    problems: [403, 409, 429],
    handle: async (ctx, { actor, body }) => {
      await deps.disableTotp.execute({ actor, ...body, client: ctx.ip });
      noContent(ctx);
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/mfa/verify',
    operationId: 'verifyMfa',
    summary: 'Complete a login that answered AUTH.MFA_REQUIRED: the challenge and a code give tokens',
    tag: 'accounts',
    auth: false,
    body: MfaVerifyBody,
    success: { status: 200, description: 'Tokens, as login', schema: TokenPairSchema },
    rateLimited: true,
    problems: [401, 429],
    handle: async (ctx, { body }) => {
      ctx.body = tokenPair(await deps.verifyMfa.execute({ ...body, client: ctx.ip }));
    },
  });
}
