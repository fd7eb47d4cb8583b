import { expect } from 'chai';
import {
  canonicalJson,
  fingerprintOf,
  parseIdempotencyKey,
  storedKeyOf,
} from '../../../../src/adapters/http/idempotency-key.js';
import { DomainError } from '../../../../src/domain/errors.js';

const refusal = (header: string | string[]) => {
  try {
    parseIdempotencyKey(header);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('parseIdempotencyKey', () => {
  it('answers undefined for a request without the header', () => {
    expect(parseIdempotencyKey(undefined)).to.equal(undefined);
  });

  it('takes a bare key and a quoted structured-field string alike', () => {
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).to.equal(
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    );
    expect(parseIdempotencyKey('"8e03978e-40d5"')).to.equal('8e03978e-40d5');
    expect(parseIdempotencyKey('"a\\"b"')).to.equal('a"b');
    expect(parseIdempotencyKey('x'.repeat(255))).to.have.length(255);
  });

  it('refuses an empty, too long, non-visible-ASCII or repeated key with REQUEST.INVALID', () => {
    for (const bad of ['', '""', 'x'.repeat(256), 'has space', 'tab\there', 'clé', 'nul\u0000', ['a', 'b']]) {
      const error = refusal(bad);
      expect(error, JSON.stringify(bad)).to.be.instanceOf(DomainError);
      expect((error as DomainError).code).to.equal('REQUEST.INVALID');
    }
  });
});

describe('canonicalJson', () => {
  it('writes object keys in sorted order at every depth, and leaves array order alone', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).to.equal('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: 1, skipped: undefined })).to.equal('{"a":1}');
    expect(canonicalJson(undefined)).to.equal('null');
  });
});

describe('fingerprintOf', () => {
  const request = { method: 'POST', path: '/v1/users', query: {}, body: { email: 'a@b.test', name: 'Ada' } };

  it('is the same for the same request with its keys in another order', () => {
    const reordered = { ...request, body: { name: 'Ada', email: 'a@b.test' } };
    expect(fingerprintOf(reordered)).to.equal(fingerprintOf(request));
  });

  it('differs for another body, query, path or method', () => {
    const others = [
      { ...request, body: { email: 'a@b.test', name: 'Bob' } },
      { ...request, query: { name: 'x' } },
      { ...request, path: '/v1/auth/register' },
      { ...request, method: 'PUT' },
    ];
    for (const other of others) expect(fingerprintOf(other)).to.not.equal(fingerprintOf(request));
  });
});

describe('storedKeyOf', () => {
  it('is a digest that differs per caller for the same key, and never the key itself', () => {
    const mine = storedKeyOf('user:1', 'key-1');
    expect(mine).to.match(/^[0-9a-f]{64}$/);
    expect(storedKeyOf('user:1', 'key-1')).to.equal(mine);
    expect(storedKeyOf('user:2', 'key-1')).to.not.equal(mine);
    expect(storedKeyOf('ip:127.0.0.1', 'key-1')).to.not.equal(mine);
  });
});
