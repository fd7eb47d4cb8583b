import { expect } from 'chai';
import type { HealthCheck } from '../../../src/domain/ports/health-check.js';
import { Readiness } from '../../../src/infrastructure/container/health-module.js';
import { TOKENS as T } from '../../../src/infrastructure/container/tokens.js';
import { startTestApp, type TestApp } from '../../support/http-app.js';
import { send } from '../../support/http-client.js';

/** Every operation of the contract that exists so far (refresh and logout come later). */
const CONTRACT = [
  'get /health/live',
  'get /health/ready',
  'get /openapi.json',
  'get /docs',
  'get /.well-known/jwks.json',
  'post /v1/auth/register',
  'post /v1/auth/login',
  'get /v1/auth/me',
  'post /v1/auth/refresh',
  'post /v1/auth/logout',
  'get /v1/users',
  'post /v1/users',
  'get /v1/users/{id}',
  'put /v1/users/{id}',
  'patch /v1/users/{id}',
  'delete /v1/users/{id}',
  'post /v1/users/{id}/restore',
  'put /v1/users/{id}/password',
  'post /v1/auth/email/verify',
  'post /v1/auth/email/verify/resend',
  'post /v1/auth/password/forgot',
  'post /v1/auth/password/reset',
  'post /v1/auth/email/confirm',
  'post /v1/auth/mfa/totp',
  'post /v1/auth/mfa/totp/confirm',
  'delete /v1/auth/mfa/totp',
  'post /v1/auth/mfa/verify',
  'get /v1/auth/oidc/{provider}/start',
  'get /v1/auth/oidc/{provider}/callback',
  'post /v1/auth/oidc/exchange',
  'get /v1/auth/oidc/identities',
  'post /v1/auth/oidc/{provider}/link',
  'delete /v1/auth/oidc/{provider}/link',
  'post /v1/auth/passkeys/register/options',
  'post /v1/auth/passkeys/register',
  'post /v1/auth/passkeys/login/options',
  'post /v1/auth/passkeys/login',
  'get /v1/auth/passkeys',
  'delete /v1/auth/passkeys/{id}',
  'post /v1/files',
  'get /v1/files',
  'get /v1/files/{id}',
  'get /v1/files/{id}/content',
  'get /v1/files/{id}/download-url',
  'delete /v1/files/{id}',
  'post /v1/files/uploads',
  'get /v1/files/{id}/upload',
  'post /v1/files/{id}/complete',
  'delete /v1/files/{id}/upload',
  'get /v1/files/{id}/versions',
  'post /v1/files/{id}/versions/{versionId}/restore',
  'put /v1/files/{id}/legal-hold',
  'put /v1/files/{id}/retention',
];
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

describe('HTTP docs: OpenAPI, Swagger UI and keys', () => {
  let app: TestApp;
  let doc: Record<string, any>;
  before(async () => {
    app = await startTestApp();
    doc = (await send(app, 'GET', '/openapi.json')).body;
  });
  after(() => app.close());

  it('serves an OpenAPI 3.1 document listing exactly the contract operations', () => {
    expect(doc.openapi).to.match(/^3\.1\.\d+$/);
    expect(doc.info).to.include.keys('title', 'version');
    const listed = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => METHODS.includes(k))
        .map((method) => `${method} ${path}`),
    );
    expect(listed).to.have.members(CONTRACT);
  });

  it('describes bodies with the strict schemas that validate them, and params and queries', () => {
    const register = doc.paths['/v1/auth/register'].post;
    const schemaRef = register.requestBody.content['application/json'].schema.$ref as string;
    const schema = doc.components.schemas[schemaRef.split('/').pop()!];
    expect(schema.additionalProperties).to.equal(false);
    expect(schema.required).to.have.members(['email', 'password', 'name']);
    expect(doc.paths['/v1/users/{id}'].patch.requestBody.content).to.have.keys(
      'application/json',
      'application/merge-patch+json',
    );
    const [id] = doc.paths['/v1/users/{id}'].get.parameters;
    expect(id).to.include({ name: 'id', in: 'path', required: true });
    expect(id.schema).to.include({ type: 'string', format: 'uuid' });
    const limit = doc.paths['/v1/users'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).to.include({ minimum: 1, maximum: 100, default: 20 });
  });

  it('documents errors as problem+json, secures private routes with a bearer scheme and says public ones are', () => {
    expect(doc.components.securitySchemes.bearerAuth).to.include({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/auth/me'].get.security).to.deep.equal([{ bearerAuth: [] }]);
    expect(doc.paths['/v1/auth/login'].post.security).to.deep.equal([]);
    expect(doc.paths['/health/live'].get.security).to.deep.equal([]);
    expect(doc.servers).to.deep.equal([{ url: '/', description: 'The server this document is served from' }]);
    const unauthorized = doc.paths['/v1/users/{id}'].delete.responses['401'];
    expect(unauthorized.content['application/problem+json'].schema.$ref).to.equal('#/components/schemas/Problem');
    expect(doc.paths['/v1/auth/register'].post.responses).to.include.keys('201', '400', '409', '413', '415');
    expect(doc.components.schemas.User.properties).not.to.have.property('passwordHash');
  });

  it('serves Swagger UI from local files, pointed at /openapi.json', async () => {
    const page = await send(app, 'GET', '/docs');
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.text).to.include('<div id="swagger-ui">').and.include('/docs/swagger-ui-bundle.js');
    const init = await send(app, 'GET', '/docs/init.js');
    expect(init.text).to.include("url: '/openapi.json'");
    const bundle = await send(app, 'GET', '/docs/swagger-ui-bundle.js');
    expect(bundle.status).to.equal(200);
    expect(bundle.text).to.include('SwaggerUIBundle');
    expect((await send(app, 'GET', '/docs/%2e%2e%2fpackage.json')).status).to.equal(404);
    expect((await send(app, 'GET', '/docs/index.html')).status).to.equal(404);
  });

  it('publishes the verification keys as a JWK Set', async () => {
    const res = await send(app, 'GET', '/.well-known/jwks.json');
    expect(res.status).to.equal(200);
    expect(res.body.keys).to.have.length(1);
    expect(res.body.keys[0]).to.include({ use: 'sig', alg: 'ES256' }).and.to.have.property('kid');
    expect(res.body.keys[0]).not.to.have.property('d');
  });
});

describe('HTTP liveness', () => {
  let app: TestApp;
  before(async () => (app = await startTestApp()));
  after(() => app.close());

  it('answers GET and HEAD ahead of the middleware stack: no request id, no CORS, still no-store and nosniff', async () => {
    const res = await send(app, 'GET', '/health/live', {
      headers: { origin: 'https://app.example.com', 'x-request-id': 'probe-1' },
    });
    expect([res.status, res.headers.get('content-type'), res.body]).to.deep.equal([
      200,
      'application/json; charset=utf-8',
      { status: 'ok' },
    ]);
    expect([res.headers.get('cache-control'), res.headers.get('x-content-type-options')]).to.deep.equal([
      'no-store',
      'nosniff',
    ]);
    expect([res.headers.get('x-request-id'), res.headers.get('access-control-allow-origin')]).to.deep.equal([
      null,
      null,
    ]);
    const head = await fetch(`${app.url}/health/live`, { method: 'HEAD' });
    expect([head.status, await head.text()]).to.deep.equal([200, '']);
  });

  it('leaves other methods and paths to the router', async () => {
    const post = await send(app, 'POST', '/health/live');
    expect(post.status).to.equal(405);
    expect(post.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    expect((await send(app, 'GET', '/health/live/x')).status).to.equal(404);
  });
});

describe('HTTP health', () => {
  const ok = { name: 'db', check: async () => undefined };
  const failing = { name: 'db', check: async () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:5432')) };
  const hanging = { name: 'cache', check: () => new Promise<void>(() => undefined) };

  /** The app with these readiness checks (and deadline), draining or not: through the composition root's test seam. */
  async function ready(options: { healthChecks: HealthCheck[]; healthCheckTimeoutMs?: number; draining?: boolean }) {
    const app = await startTestApp({
      override: (c) => {
        c.rebind(T.HealthChecks).toConstantValue(options.healthChecks);
        if (options.healthCheckTimeoutMs)
          c.rebind(T.HealthCheckTimeoutMs).toConstantValue(options.healthCheckTimeoutMs);
        if (options.draining) c.rebind(Readiness).toConstantValue(Object.assign(new Readiness(), { draining: true }));
      },
    });
    const [live, res] = [await send(app, 'GET', '/health/live'), await send(app, 'GET', '/health/ready')];
    await app.close();
    return { live, res };
  }

  it('is live and ready when every check passes', async () => {
    const { live, res } = await ready({ healthChecks: [ok] });
    expect(live.status).to.equal(200);
    expect(live.body).to.deep.equal({ status: 'ok' });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok', checks: { db: 'ok' } });
  });

  it('answers 503 when a check fails, without the failure text', async () => {
    const { live, res } = await ready({ healthChecks: [ok, { ...failing, name: 'other' }] });
    expect(live.status).to.equal(200);
    expect(res.status).to.equal(503);
    expect(res.body).to.deep.equal({ status: 'unavailable', checks: { db: 'ok', other: 'failed' } });
    expect(res.text).not.to.include('ECONNREFUSED');
  });

  it('answers 503 when a check outlives its deadline', async () => {
    const started = Date.now();
    const { res } = await ready({ healthChecks: [ok, hanging], healthCheckTimeoutMs: 50 });
    expect(res.status).to.equal(503);
    expect(res.body.checks).to.deep.equal({ db: 'ok', cache: 'timeout' });
    expect(Date.now() - started).to.be.below(2000);
  });

  it('answers 503 while draining, even with healthy checks', async () => {
    const { live, res } = await ready({ healthChecks: [ok], draining: true });
    expect(live.status).to.equal(200);
    expect(res.status).to.equal(503);
    expect(res.body.status).to.equal('unavailable');
  });
});
