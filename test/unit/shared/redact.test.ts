import { expect } from 'chai';
import { DomainError } from '../../../src/domain/errors.js';
import { isSecretKey, REDACTED, redact, redactFields } from '../../../src/shared/redact.js';

// Every key the two former lists masked (the HTTP adapter's set, the logger's pattern), in the cases they arrive in.
const FORMERLY_MASKED = [
  'authorization',
  'Authorization',
  'proxy-authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'x-api-key',
  'X-API-Key',
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'password_hash',
  'dbPassword',
  'refreshToken',
  'accessToken',
  'token',
  'body',
  'rawBody',
  'secret',
  'clientSecret',
  'SECRET_ACCESS_KEY',
  'webhookSecretValue',
  'privateKey',
  'private',
  'signing_key',
  'API_KEY',
];
const KEPT = ['email', 'name', 'requestId', 'status', 'code', 'tokens', 'key', 'keyId', 'kid', 'bodyBytes', 'message'];

describe('redact', () => {
  it('masks every key either former list masked, and only those', () => {
    for (const key of FORMERLY_MASKED) expect(isSecretKey(key), key).to.equal(true);
    for (const key of KEPT) expect(isSecretKey(key), key).to.equal(false);
  });

  it('masks them at any depth, inside objects and arrays, and leaves the rest as it was', () => {
    const fields = Object.fromEntries(FORMERLY_MASKED.map((key) => [key, 's3cr3t']));
    const line = redactFields({
      requestId: 'r-1',
      req: { headers: fields },
      attempts: [{ input: fields, email: 'a@b.c' }],
    });
    expect(JSON.stringify(line)).not.to.include('s3cr3t');
    expect(line).to.deep.include({ requestId: 'r-1' });
    expect((line.attempts as { email: string; input: Record<string, string> }[])[0]).to.deep.include({
      email: 'a@b.c',
    });
    expect((line.req as { headers: Record<string, string> }).headers).to.deep.equal(
      Object.fromEntries(FORMERLY_MASKED.map((key) => [key, REDACTED])),
    );
  });

  it('serializes an error, masking what is hung on it and on its cause, and keeps its type', () => {
    const cause = Object.assign(new Error('driver failed'), { config: { password: 's3cr3t' } });
    const error = Object.assign(new DomainError('DB.UNAVAILABLE', 'down', undefined, 1), {
      body: 'password=s3cr3t',
      cause,
    });
    const out = redact(error) as Record<string, unknown>;
    expect(out).to.deep.include({ type: 'DomainError', code: 'DB.UNAVAILABLE', body: REDACTED, retryAfterSeconds: 1 });
    expect(out.stack).to.be.a('string');
    expect(JSON.stringify(out)).not.to.include('s3cr3t');
  });

  it('cuts off past eight levels instead of writing the rest unchecked', () => {
    let deep: unknown = { password: 's3cr3t' };
    for (let i = 0; i < 10; i += 1) deep = { next: deep };
    expect(JSON.stringify(redact(deep)))
      .to.include('[truncated]')
      .and.not.include('s3cr3t');
  });

  it('marks a cycle, but writes an object met twice on separate branches both times', () => {
    const shared = { id: 7 };
    const loop: Record<string, unknown> = { shared, again: shared };
    loop.self = loop;
    expect(redact(loop)).to.deep.equal({ shared: { id: 7 }, again: { id: 7 }, self: '[circular]' });
  });
});
