import { expect } from 'chai';
import { Password } from '../../../../src/domain/user/password.js';

describe('Password', () => {
  it('accepts 8 to 128 characters', () => {
    expect(Password.parse('a'.repeat(8)).value).to.have.length(8);
    expect(Password.parse('a'.repeat(128)).value).to.have.length(128);
  });

  it('rejects 7 and 129 characters', () => {
    expect(() => Password.parse('a'.repeat(7)))
      .to.throw()
      .with.property('code', 'REQUEST.INVALID');
    expect(() => Password.parse('a'.repeat(129)))
      .to.throw()
      .with.property('code', 'REQUEST.INVALID');
  });

  it('normalizes to NFKC so equal-looking input is equal', () => {
    expect(Password.parse('ｐａｓｓｗｏｒｄ１').value).to.equal('password1');
  });

  it('counts characters, not bytes or UTF-16 units', () => {
    expect(Password.parse('😀'.repeat(8)).value).to.equal('😀'.repeat(8));
    expect(() => Password.parse('😀'.repeat(129))).to.throw();
  });
});
