import { expect } from 'chai';
import { checkProfile, type Profile } from '../../../../src/domain/user/profile.js';

/** `depth` objects inside each other, the innermost holding a number: { a: { a: 1 } } is depth 2. */
const nested = (depth: number): Profile => ({ a: depth <= 1 ? 1 : nested(depth - 1) });

describe('checkProfile', () => {
  it('accepts free-form JSON up to depth 5', () => {
    expect(checkProfile(nested(5))).to.deep.equal(nested(5));
    expect(checkProfile({ tags: ['x', 1, null, { y: true }] })).to.have.property('tags');
  });

  it('rejects nesting deeper than 5', () => {
    expect(() => checkProfile(nested(6)))
      .to.throw()
      .with.property('code', 'REQUEST.INVALID');
  });

  it('rejects more than 16 KiB', () => {
    expect(() => checkProfile({ bio: 'x'.repeat(16 * 1024) }))
      .to.throw()
      .with.property('code', 'REQUEST.INVALID');
  });

  for (const key of ['$ne', '__proto__', 'constructor', 'a.b']) {
    it(`rejects the key ${key} at any depth`, () => {
      const inner = JSON.parse(`{"${key}": 1}`) as Profile;
      expect(() => checkProfile({ ok: { deeper: inner } }))
        .to.throw()
        .with.property('code', 'REQUEST.INVALID');
    });
  }

  it('rejects NUL characters in text at any depth', () => {
    expect(() => checkProfile({ a: { b: ['ok', 'x\u0000y'] } }))
      .to.throw()
      .with.property('code', 'REQUEST.INVALID');
  });
});
