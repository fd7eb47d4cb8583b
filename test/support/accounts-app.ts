import { expect } from 'chai';
import { generateSync } from 'otplib';
import { TOKENS as T } from '../../src/infrastructure/container/tokens.js';
import type { Backend } from './backends.js';
import { newAccount, send, type Answer } from './http-client.js';
import { startMailbox, type Mailbox } from './mailbox.js';
import { startPortico, type Portico } from './portico.js';
import { ShiftableClock } from './shiftable-clock.js';

export const APP_URL = 'https://app.example.test';
export const SEND_INTERVAL_MS = 50;

export interface AccountsApp extends Portico {
  mailbox: Mailbox;
  /** The app's clock: real time, moved forward by `shift` to let links expire. */
  clock: ShiftableClock;
}

/**
 * For a describe block: the whole app on `backend` with its mail going through the real smtp adapter
 * to an SMTP server on loopback, links built from APP_URL, the answers that hide whether an address
 * exists evened out to only 1 ms and the mail throttle's per-client limit out of the way (every test
 * sends from 127.0.0.1). `env` goes on top. The object returned is valid once the `before` hook ran.
 */
export function useAccountsApp(backend: Backend, env: Record<string, string> = {}): AccountsApp {
  const app = {} as AccountsApp;
  let dispose = async () => {};
  let closeSmtp = async () => {};
  before(async function () {
    const prepared = await backend.prepare(this);
    dispose = prepared.dispose;
    const mail = await startMailbox(APP_URL, SEND_INTERVAL_MS);
    closeSmtp = mail.close;
    const clock = new ShiftableClock();
    const portico = await startPortico(
      { ...prepared.env, ...mail.env, ACCOUNT_RESPONSE_FLOOR_MS: '1', ACCOUNT_MAIL_MAX_PER_CLIENT: '10000', ...env },
      { override: (c) => c.rebind(T.Clock).toConstantValue(clock) },
    );
    Object.assign(app, portico, { mailbox: mail.mailbox, clock });
  });
  after(async () => {
    await app.stop?.();
    await closeSmtp();
    await dispose();
  });
  return app;
}

/** Registers a new account; the account with its id. */
export async function register(app: { url: string }, extra: object = {}) {
  const account = newAccount(extra);
  const res = await send(app, 'POST', '/v1/auth/register', { json: account });
  expect(res.status, res.text).to.equal(201);
  return { ...account, id: res.body.user.id as string };
}

/** A registered account whose email is verified through the link mailed to it. */
export async function aVerifiedAccount(app: AccountsApp) {
  const account = await register(app);
  const { token } = await app.mailbox.link(account.email, 'verify-email');
  const res = await send(app, 'POST', '/v1/auth/email/verify', { json: { token } });
  expect(res.status, res.text).to.equal(204);
  return account;
}

export const loginAnswer = (app: { url: string }, email: string, password: string) =>
  send(app, 'POST', '/v1/auth/login', { json: { email, password } });

/** The token pair of a login that must succeed. */
export async function signIn(app: { url: string }, email: string, password: string) {
  const res = await loginAnswer(app, email, password);
  expect(res.status, res.text).to.equal(200);
  return res.body as { accessToken: string; refreshToken: string };
}

/** The caller's user, from GET /v1/auth/me. */
export async function me(app: { url: string }, token: string): Promise<Record<string, any>> {
  const res = await send(app, 'GET', '/v1/auth/me', { token });
  expect(res.status, res.text).to.equal(200);
  return res.body.user as Record<string, any>;
}

/** The claims of a JWT, read without checking its signature. */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The 6-digit code an authenticator app shows for `secret`, `steps` 30-second steps from now. */
export const totpCode = (secret: string, steps = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * steps });

/** Another six digits than `code`: a wrong code. */
export const otherCode = (code: string) => String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');

/** 202 with the one body every address gets. */
export function expectAccepted(res: Answer): void {
  expect(res.status, res.text).to.equal(202);
  expect(res.body).to.deep.equal({ status: 'accepted' });
}
