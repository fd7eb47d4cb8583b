import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the provider signs in at the next authorization request (no login page: the test decides). */
  signInAs(account: TestAccount): void;
  /** While set, the token endpoint's ID token has its signature altered (a forged or corrupted token). */
  tamperIdTokens: boolean;
  /** Answers every request with this status instead (a provider that is up but failing). */
  failWith: number | null;
  /** While set, the person declines: the provider answers `error=access_denied`. */
  deny: boolean;
  stop(): Promise<void>;
}

const flipSignature = (jwt: string) => {
  const [header, payload, signature = ''] = jwt.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
};

/**
 * A real OpenID Provider (node-oidc-provider) on 127.0.0.1 and a free port, with one confidential
 * client registered for `redirectUris`. `emailInIdToken: false` keeps the profile at the userinfo endpoint. Its interactions finish at once as the account the test
 * chose, with every requested scope granted, so a browser only has to follow redirects.
 */
export async function startTestProvider(
  redirectUris: string[],
  options: { emailInIdToken?: boolean } = {},
): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let account: TestAccount = { sub: 'nobody' };
  const accounts = new Map<string, TestAccount>();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const configuration: Configuration = {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test-key' }] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    clients: [
      {
        client_id: 'portico',
        client_secret: 'portico-test-secret',
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Off: scope claims (email) go into the ID token too; on, only to the userinfo endpoint.
    conformIdTokenClaims: !(options.emailInIdToken ?? true),
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const found = accounts.get(sub);
      return found ? { accountId: sub, claims: () => ({ ...found }) } : undefined;
    },
  };
  const provider = new Provider(issuer, configuration);
  const state = { tamperIdTokens: false, failWith: null as number | null, deny: false };
  provider.use(async (ctx, next) => {
    if (state.failWith) {
      ctx.status = state.failWith;
      ctx.body = 'unavailable';
      return;
    }
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (state.tamperIdTokens && ctx.path === '/token' && body?.id_token) body.id_token = flipSignature(body.id_token);
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res);
    void (async () => {
      if (state.deny) {
        const declined = { error: 'access_denied', error_description: 'The person declined.' };
        return provider.interactionFinished(req, res, declined, { mergeWithLastSubmission: false });
      }
      const details = await provider.interactionDetails(req, res);
      accounts.set(account.sub, account);
      const grant = new provider.Grant({ accountId: account.sub, clientId: 'portico' });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.sub }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  return {
    issuer,
    clientId: 'portico',
    clientSecret: 'portico-test-secret',
    signInAs: (next) => (account = next),
    get tamperIdTokens() {
      return state.tamperIdTokens;
    },
    set tamperIdTokens(value: boolean) {
      state.tamperIdTokens = value;
    },
    get deny() {
      return state.deny;
    },
    set deny(value: boolean) {
      state.deny = value;
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(value: number | null) {
      state.failWith = value;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
