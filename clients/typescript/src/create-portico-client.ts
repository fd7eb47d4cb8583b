import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { authenticatingFetch } from './authenticating-fetch.js';
import { PorticoProblem } from './portico-problem.js';
import type { components, paths } from './schema.js';
import { Session, type Tokens } from './session.js';

export type User = components['schemas']['User'];
export type StoredFile = components['schemas']['File'];
export type LoginResult = { mfaRequired: false } | { mfaRequired: true; challenge: string };

export interface PorticoClientOptions {
  baseUrl: string;
  fetch?: (request: Request) => Promise<Response>;
  /** A pair saved from an earlier session. */
  tokens?: Tokens;
  /** Called whenever the pair changes (login, rotation, logout, a refused refresh): persist it here. */
  onTokens?: (tokens: Tokens | undefined) => void;
}

/** The POSTs that create something: each gets an Idempotency-Key unless the caller sends one. */
const CREATING = new Set(['/v1/auth/register', '/v1/users', '/v1/files/uploads', '/v1/files']);

const idempotencyKeys: Middleware = {
  onRequest({ request, schemaPath }) {
    if (request.method === 'POST' && CREATING.has(schemaPath) && !request.headers.has('Idempotency-Key'))
      request.headers.set('Idempotency-Key', crypto.randomUUID());
  },
};

const problems: Middleware = {
  async onResponse({ response }) {
    if (!response.ok && response.status !== 304) throw await PorticoProblem.of(response);
  },
};

/** openapi-fetch leaves `data` optional; with problems thrown, a success always has it. */
const present = <T>(data: T | undefined): T => {
  if (data === undefined) throw new Error('the API answered a success without a body');
  return data;
};

/**
 * A typed client of the Portico API: openapi-fetch over the generated `paths`, with the session
 * (login, rotating refresh on a 401), Idempotency-Keys on creating POSTs, and every error answer
 * thrown as a `PorticoProblem`.
 */
export function createPorticoClient(options: PorticoClientOptions) {
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const bare = createClient<paths>({ baseUrl: options.baseUrl, fetch: baseFetch });
  bare.use(problems);
  const session = new Session(
    async (refreshToken) => {
      try {
        return present((await bare.POST('/v1/auth/refresh', { body: { refreshToken } })).data);
      } catch (error) {
        if (error instanceof PorticoProblem && error.status === 401) return undefined;
        throw error;
      }
    },
    options.tokens,
    options.onTokens,
  );
  const api: Client<paths> = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: authenticatingFetch(session, baseFetch),
  });
  api.use(idempotencyKeys, problems);

  const helpers = {
    /** The current pair (a copy), or undefined when signed out. */
    get tokens() {
      return session.tokens;
    },
    setTokens: (tokens: Tokens | undefined) => session.set(tokens),

    /** Signs in; with TOTP on, answers the challenge that `verifyMfa` takes instead. */
    async login(email: string, password: string): Promise<LoginResult> {
      try {
        session.set(present((await bare.POST('/v1/auth/login', { body: { email, password } })).data));
        return { mfaRequired: false };
      } catch (error) {
        if (error instanceof PorticoProblem && error.code === 'AUTH.MFA_REQUIRED' && error.challenge)
          return { mfaRequired: true, challenge: error.challenge };
        throw error;
      }
    },

    /** Completes a login that answered `mfaRequired`, with a TOTP code or `{ recoveryCode }`. */
    async verifyMfa(challenge: string, code: string | { recoveryCode: string }): Promise<void> {
      const body = typeof code === 'string' ? { challenge, code } : { challenge, ...code };
      session.set(present((await bare.POST('/v1/auth/mfa/verify', { body })).data));
    },

    /** Rotates the pair now (a 401 does it by itself): true when there is a new one. */
    refresh: (): Promise<boolean> => {
      const accessToken = session.tokens?.accessToken;
      return accessToken ? session.refresh(accessToken) : Promise.resolve(false);
    },

    /** Ends the session on the server (its refresh family is revoked) and forgets the pair. */
    async logout(): Promise<void> {
      const refreshToken = session.tokens?.refreshToken;
      session.set(undefined);
      if (refreshToken) await bare.POST('/v1/auth/logout', { body: { refreshToken } });
    },

    /** POST /v1/files: the bytes are the body, sent as they are. */
    async uploadFile(name: string, bytes: Uint8Array | Blob, contentType = 'application/octet-stream') {
      const { data } = await api.POST('/v1/files', {
        params: { query: { name } },
        // The document types a binary body as a string; any BodyInit goes as it is.
        body: bytes as unknown as string,
        bodySerializer: (body) => body as unknown as BodyInit,
        headers: { 'Content-Type': contentType },
      });
      return present(data).file;
    },

    /** GET /v1/files/{id}/content: the whole file. */
    async downloadFile(id: string): Promise<Uint8Array> {
      const { data } = await api.GET('/v1/files/{id}/content', { params: { path: { id } }, parseAs: 'arrayBuffer' });
      return new Uint8Array(present(data));
    },
  };
  // Property descriptors, not Object.assign, so `tokens` stays a live getter.
  return Object.defineProperties(api, Object.getOwnPropertyDescriptors(helpers)) as Client<paths> & typeof helpers;
}

export type PorticoClient = ReturnType<typeof createPorticoClient>;
