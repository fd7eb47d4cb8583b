import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { v7 as uuidv7 } from 'uuid';
import { totpCode } from '../../../test/support/accounts-app.js';
import { startPortico, type Portico } from '../../../test/support/portico.js';
import { createPorticoClient, PorticoProblem, type PorticoClientOptions } from '../src/index.js';

const PASSWORD = 'correct horse battery';
const document = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
const declaresIfMatch = (document.paths['/v1/users/{id}']?.patch?.parameters ?? []).some(
  (p: { in?: string; name?: string }) => p.in === 'header' && p.name?.toLowerCase() === 'if-match',
);

/** What the client sent, to count refreshes and read headers. */
function recordingFetch() {
  const sent: Request[] = [];
  const fetch = (request: Request) => (sent.push(request.clone()), globalThis.fetch(request));
  return { sent, fetch, to: (path: string) => sent.filter((r) => new URL(r.url).pathname === path) };
}

const rejection = async (promise: Promise<unknown>): Promise<PorticoProblem> => {
  const error = await promise.then(
    () => expect.fail('expected a PorticoProblem'),
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(PorticoProblem);
  return error as PorticoProblem;
};

describe('@portico/client against the whole app (memory backends)', () => {
  let app: Portico;
  let n = 0;
  const client = (options: Partial<PorticoClientOptions> = {}) => createPorticoClient({ baseUrl: app.url, ...options });

  /** A new account and a client signed in as it. */
  async function signedIn(options: Partial<PorticoClientOptions> = {}) {
    const email = `client-${Date.now()}-${++n}@example.com`;
    const api = client(options);
    const { data } = await api.POST('/v1/auth/register', { body: { email, password: PASSWORD, name: 'Ada' } });
    expect(await api.login(email, PASSWORD)).to.deep.equal({ mfaRequired: false });
    return { api, email, user: data!.user };
  }

  before(async () => {
    // No grace window, so a spent refresh token presented again is refused at once.
    app = await startPortico({ FILE_STORE: 'memory', REFRESH_REUSE_GRACE_S: '0' });
  });
  after(() => app?.stop());

  it('registers, logs in and reads /v1/auth/me with the stored access token', async () => {
    const { api, email, user } = await signedIn();
    const { data } = await api.GET('/v1/auth/me');
    expect(data!.user).to.include({ id: user.id, email });
    expect(api.tokens!.accessToken).to.be.a('string').with.length.greaterThan(0);
  });

  it('sends a new Idempotency-Key with each creating POST, and keeps one the caller sets', async () => {
    const recorder = recordingFetch();
    const { api } = await signedIn({ fetch: recorder.fetch });
    await api.uploadFile('a.txt', new TextEncoder().encode('a'));
    await api.POST('/v1/files', {
      params: { query: { name: 'b.txt' } },
      body: 'b',
      bodySerializer: (b) => b,
      headers: { 'Content-Type': 'text/plain', 'Idempotency-Key': 'mine-1' },
    });
    const keys = [...recorder.to('/v1/auth/register'), ...recorder.to('/v1/files')].map((r) =>
      r.headers.get('idempotency-key'),
    );
    expect(keys).to.have.length(3);
    expect(keys[0]).to.match(/^[0-9a-f-]{36}$/);
    expect(keys[1])
      .to.match(/^[0-9a-f-]{36}$/)
      .and.not.equal(keys[0]);
    expect(keys[2]).to.equal('mine-1');
    expect(recorder.to('/v1/auth/login')[0]!.headers.has('idempotency-key')).to.equal(false);
  });

  it('rotates the refresh token on refresh, and the spent one is refused afterwards', async () => {
    const { api } = await signedIn();
    const before = api.tokens!;
    expect(await api.refresh()).to.equal(true);
    expect(api.tokens!.refreshToken).to.not.equal(before.refreshToken);
    expect(api.tokens!.accessToken).to.not.equal(before.accessToken);
    await api.GET('/v1/auth/me');

    const reuse = await rejection(client().POST('/v1/auth/refresh', { body: { refreshToken: before.refreshToken } }));
    expect(reuse).to.include({ status: 401, code: 'AUTH.INVALID_REFRESH_TOKEN' });
  });

  it('uploads a file and downloads the same bytes', async () => {
    const { api, user } = await signedIn();
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
    const file = await api.uploadFile('data.bin', bytes);
    expect(file).to.include({ ownerId: user.id, name: 'data.bin', size: bytes.length, status: 'ready' });
    expect(await api.downloadFile(file.id)).to.deep.equal(bytes);
  });

  it('patches the user', async () => {
    const { api, user } = await signedIn();
    const { data } = await api.PATCH('/v1/users/{id}', {
      params: { path: { id: user.id } },
      body: { name: 'Ada Lovelace', profile: { lang: 'en' } },
    });
    expect(data!.user).to.include({ id: user.id, name: 'Ada Lovelace' });
    expect(data!.user.profile).to.deep.equal({ lang: 'en' });
  });

  it('throws a 404 as a PorticoProblem with its code and request id', async () => {
    const { api } = await signedIn();
    const problem = await rejection(api.GET('/v1/users/{id}', { params: { path: { id: uuidv7() } } }));
    expect(problem).to.include({ status: 404, code: 'USER.NOT_FOUND' });
    expect(problem.requestId).to.be.a('string').with.length.greaterThan(0);
    expect(problem.title).to.be.a('string').with.length.greaterThan(0);
  });

  it('throws a 409 USER.EMAIL_TAKEN as a PorticoProblem', async () => {
    const { email } = await signedIn();
    const problem = await rejection(
      client().POST('/v1/auth/register', { body: { email, password: PASSWORD, name: 'Twin' } }),
    );
    expect(problem).to.include({ status: 409, code: 'USER.EMAIL_TAKEN' });
  });

  it('lists every field problem of a 400 in errors', async () => {
    const problem = await rejection(
      client().POST('/v1/auth/register', { body: { email: 'not-an-email', password: 'short', name: 'X' } }),
    );
    expect(problem).to.include({ status: 400, code: 'REQUEST.INVALID' });
    expect(problem.errors.map((e) => e.path)).to.include.members(['email', 'password']);
  });

  it('answers a refused access token with one refresh for concurrent calls, and retries each', async () => {
    const { api: first } = await signedIn();
    const recorder = recordingFetch();
    const rotated: unknown[] = [];
    const api = client({
      fetch: recorder.fetch,
      tokens: { accessToken: 'not-a-jwt', refreshToken: first.tokens!.refreshToken },
      onTokens: (tokens) => rotated.push(tokens),
    });
    const answers = await Promise.all([api.GET('/v1/auth/me'), api.GET('/v1/auth/me'), api.GET('/v1/files')]);
    expect(answers.map((a) => a.response.status)).to.deep.equal([200, 200, 200]);
    expect(recorder.to('/v1/auth/refresh')).to.have.length(1);
    expect(rotated).to.have.length(1);
    expect(api.tokens!.refreshToken).to.not.equal(first.tokens!.refreshToken);
    const retried = recorder.to('/v1/auth/me').map((r) => r.headers.get('authorization'));
    expect(retried).to.deep.equal([
      'Bearer not-a-jwt',
      'Bearer not-a-jwt',
      `Bearer ${api.tokens!.accessToken}`,
      `Bearer ${api.tokens!.accessToken}`,
    ]);
  });

  it('ends the session when the refresh is refused, and throws the 401', async () => {
    const api = client({ tokens: { accessToken: 'not-a-jwt', refreshToken: 'not-a-refresh-token' } });
    const problem = await rejection(api.GET('/v1/auth/me'));
    expect(problem).to.include({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
    expect(problem.headers.get('www-authenticate')).to.match(/^Bearer/);
    expect(api.tokens).to.equal(undefined);
  });

  it('surfaces the TOTP challenge of a login, and verifyMfa completes it', async () => {
    const { api, email } = await signedIn();
    const { data: started } = await api.POST('/v1/auth/mfa/totp');
    await api.POST('/v1/auth/mfa/totp/confirm', { body: { code: totpCode(started!.secret) } });
    await api.logout();
    expect(api.tokens).to.equal(undefined);

    const login = await api.login(email, PASSWORD);
    if (!login.mfaRequired) expect.fail('expected AUTH.MFA_REQUIRED');
    // The next time step's code: the current one was spent confirming the enrolment.
    await api.verifyMfa(login.challenge, totpCode(started!.secret, 1));
    expect((await api.GET('/v1/auth/me')).data!.user.email).to.equal(email);
  });

  // TODO(lead): conditional requests (issue 16) land with If-Match on PATCH /v1/users/{id}; this test is
  // defined only once the served document (clients/typescript/openapi.json) declares that parameter.
  if (declaresIfMatch)
    it('patches a user with If-Match (defined only when PATCH /v1/users/{id} declares If-Match)', async () => {
      const { api, user } = await signedIn();
      const { response } = await api.GET('/v1/users/{id}', { params: { path: { id: user.id } } });
      const etag = response.headers.get('etag');
      expect(etag).to.be.a('string');
      const patched = await api.PATCH('/v1/users/{id}', {
        params: { path: { id: user.id } },
        headers: { 'If-Match': etag! },
        body: { name: 'Matched' },
      });
      expect(patched.data!.user.name).to.equal('Matched');
      const stale = await rejection(
        api.PATCH('/v1/users/{id}', {
          params: { path: { id: user.id } },
          headers: { 'If-Match': etag! },
          body: { name: 'Stale' },
        }),
      );
      expect(stale).to.include({ status: 412, code: 'PRECONDITION.FAILED' });
    });
});
