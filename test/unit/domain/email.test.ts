import { expect } from 'chai';
import { Email } from '../../../src/domain/user/email.js';

describe('Email', () => {
  it('is trimmed and lower-cased', () => {
    expect(Email.parse('  Ada@Example.COM ').value).to.equal('ada@example.com');
  });

  for (const bad of ['', 'ada', 'ada@', '@example.com', 'a b@example.com', 'ada@example', `${'a'.repeat(250)}@x.io`]) {
    it(`rejects ${JSON.stringify(bad.slice(0, 20))} as REQUEST.INVALID`, () => {
      expect(() => Email.parse(bad)).to.throw().with.property('code', 'REQUEST.INVALID');
    });
  }
});
