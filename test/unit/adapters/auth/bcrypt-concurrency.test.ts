import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';
import { expect } from 'chai';
import sinon from 'sinon';
import { BcryptPasswordHasher } from '../../../../src/adapters/auth/bcrypt-password-hasher.js';

const prehashed = (plain: string) => createHash('sha384').update(plain, 'utf8').digest('base64');
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('BcryptPasswordHasher concurrency', () => {
  afterEach(() => sinon.restore());

  it('hands at most `concurrency` comparisons to the thread pool; the rest wait their turn in order', async () => {
    const finish: Array<(ok: boolean) => void> = [];
    const compare = sinon
      .stub(bcrypt, 'compare')
      .callsFake(() => new Promise<boolean>((resolve) => finish.push(resolve)));
    const hasher = new BcryptPasswordHasher(4, 2);
    const results = ['a', 'b', 'c', 'd'].map((p) => hasher.verify(p, 'hash'));
    await flush();
    expect(compare.callCount).to.equal(2);
    finish.shift()!(true);
    await flush();
    expect(compare.callCount).to.equal(3);
    finish.shift()!(false);
    finish.shift()!(true);
    await flush();
    expect(compare.callCount).to.equal(4);
    finish.shift()!(true);
    expect(await Promise.all(results)).to.deep.equal([true, false, true, true]);
    expect(compare.getCalls().map((c) => c.args[0])).to.deep.equal(['a', 'b', 'c', 'd'].map(prehashed));
  });

  it('frees its turn when a comparison fails', async () => {
    const compare = sinon.stub(bcrypt, 'compare');
    compare.onFirstCall().rejects(new Error('boom'));
    compare.onSecondCall().resolves(true as never);
    const hasher = new BcryptPasswordHasher(4, 1);
    const first = hasher.verify('x', 'hash');
    const second = hasher.verify('y', 'hash');
    expect(
      await first.then(
        () => 'resolved',
        (e: Error) => e.message,
      ),
    ).to.equal('boom');
    expect(await second).to.equal(true);
  });
});
