import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ContentMeter } from '../../../../src/domain/file/content-meter.js';
import { rejectionOf } from '../../../support/rejection.js';

const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const chunks = (...sizes: number[]) => Readable.from(sizes.map((n, i) => Buffer.alloc(n, i + 1)));

describe('ContentMeter', () => {
  it('counts the bytes and computes their SHA-256 as they pass', async () => {
    const meter = new ContentMeter({ maxBytes: 100 });
    await pipeline(chunks(10, 20), meter, sink());
    const expected = createHash('sha256').update(Buffer.alloc(10, 1)).update(Buffer.alloc(20, 2)).digest('hex');
    expect(meter.bytes).to.equal(30);
    expect(meter.sha256()).to.equal(expected);
  });

  it('fails the stream with FILE.TOO_LARGE as soon as the limit is passed', async () => {
    const error = await rejectionOf(pipeline(chunks(60, 60, 60), new ContentMeter({ maxBytes: 100 }), sink()));
    expect(error.code).to.equal('FILE.TOO_LARGE');
  });

  it('accepts a body of exactly the limit', async () => {
    await pipeline(chunks(50, 50), new ContentMeter({ maxBytes: 100 }), sink());
  });

  it('fails with FILE.UPLOAD_INCOMPLETE when an exact length is asked for and the body is shorter', async () => {
    const error = await rejectionOf(pipeline(chunks(10), new ContentMeter({ maxBytes: 100, exactBytes: 11 }), sink()));
    expect(error.code).to.equal('FILE.UPLOAD_INCOMPLETE');
  });

  it('fails with FILE.UPLOAD_INCOMPLETE when the body is longer than the exact length', async () => {
    const error = await rejectionOf(pipeline(chunks(12), new ContentMeter({ maxBytes: 100, exactBytes: 11 }), sink()));
    expect(error.code).to.equal('FILE.UPLOAD_INCOMPLETE');
  });
});
