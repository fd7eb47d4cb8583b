import { expect } from 'chai';
import { PartBuffers } from '../../../../../src/adapters/files/s3/s3-parted-upload.js';

describe('PartBuffers', () => {
  it('hands out at most `count` buffers of the part size, then none until one comes back', () => {
    const buffers = new PartBuffers(2, 1024);
    const first = buffers.take();
    const second = buffers.take();
    expect([first?.length, second?.length]).to.deep.equal([1024, 1024]);
    expect(first).to.not.equal(second);
    expect(buffers.take()).to.equal(undefined);
    buffers.give(first!);
    expect(buffers.take()).to.equal(first);
    expect(buffers.allocatedCount).to.equal(2);
  });

  it('allocates lazily: a small upload never pays for the whole set', () => {
    const buffers = new PartBuffers(5, 1024);
    const one = buffers.take()!;
    buffers.give(one);
    expect(buffers.take()).to.equal(one);
    expect(buffers.allocatedCount).to.equal(1);
  });
});
