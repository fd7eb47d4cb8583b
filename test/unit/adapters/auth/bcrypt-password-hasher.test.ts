import { expect } from 'chai';
import { BcryptPasswordHasher } from '../../../../src/adapters/auth/bcrypt-password-hasher.js';

describe('BcryptPasswordHasher', () => {
  const hasher = new BcryptPasswordHasher(4);

  it('verifies the right password and refuses another', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(hash).to.match(/^\$2[aby]\$04\$/);
    expect(await hasher.verify('correct horse battery', hash)).to.equal(true);
    expect(await hasher.verify('correct horse batterY', hash)).to.equal(false);
  });

  it('does not truncate at 72 bytes: the 100th character still counts', async () => {
    const long = 'x'.repeat(99);
    const hash = await hasher.hash(`${long}A`);
    expect(await hasher.verify(`${long}B`, hash)).to.equal(false);
    expect(await hasher.verify(`${long}A`, hash)).to.equal(true);
  });

  it('counts multi-byte characters past 72 bytes', async () => {
    const prefix = 'é'.repeat(40); // 80 bytes in UTF-8
    const hash = await hasher.hash(`${prefix}1`);
    expect(await hasher.verify(`${prefix}2`, hash)).to.equal(false);
  });
});
