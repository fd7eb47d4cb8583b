import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { fileTooLarge } from '../../../../src/domain/file/file-errors.js';
import { bytesStream, md5, readAll } from '../../../support/file-bytes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { aKey, MIB, putBytes, type FileStoreFixture, type StoreAbilities } from './fixture.js';

/** Objects: put (streamed, of known length or not), get (whole or a range), head and delete. */
export function objectAssertions(fx: () => FileStoreFixture, abilities: StoreAbilities) {
  const { server } = abilities;
  it('round-trips a few MB of binary, with its type, size and MD5 ETag', async () => {
    const key = aKey();
    const bytes = randomBytes(3 * MIB + 17);
    const stored = await putBytes(fx().store, key, bytes, 'image/png');
    expect(stored.etag).to.equal(md5(bytes));
    const got = await fx().store.get(key);
    expect(await readAll(got.body)).to.deep.equal(bytes);
    expect([got.size, got.contentLength, got.contentType, got.etag]).to.deep.equal([
      bytes.length,
      bytes.length,
      'image/png',
      md5(bytes),
    ]);
    const head = await fx().store.head(key);
    expect([head.size, head.contentType, head.etag]).to.deep.equal([bytes.length, 'image/png', md5(bytes)]);
    expect(head.lastModified).to.be.instanceOf(Date);
  });

  it('stores a body of unknown length', async () => {
    const key = aKey();
    const bytes = randomBytes(2 * MIB);
    await fx().store.put(key, { body: bytesStream(bytes), contentType: 'text/plain' });
    expect(await readAll((await fx().store.get(key)).body)).to.deep.equal(bytes);
  });

  it('reads a byte range, an open-ended range, and refuses one past the end', async () => {
    const key = aKey();
    const bytes = randomBytes(1000);
    await putBytes(fx().store, key, bytes);
    const middle = await fx().store.get(key, { range: { start: 100, end: 199 } });
    expect(await readAll(middle.body)).to.deep.equal(bytes.subarray(100, 200));
    expect([middle.contentLength, middle.size]).to.deep.equal([100, 1000]);
    expect(middle.contentRange).to.deep.equal({ start: 100, end: 199, size: 1000 });
    const tail = await fx().store.get(key, { range: { start: 990 } });
    expect(await readAll(tail.body)).to.deep.equal(bytes.subarray(990));
    expect((await rejectionOf(fx().store.get(key, { range: { start: 1000 } }))).code).to.equal(
      'FILE.RANGE_NOT_SATISFIABLE',
    );
  });

  it('answers FILE.NOT_FOUND for a key that was never written', async () => {
    expect((await rejectionOf(fx().store.head(aKey()))).code).to.equal('FILE.NOT_FOUND');
    expect((await rejectionOf(fx().store.get(aKey()))).code).to.equal('FILE.NOT_FOUND');
  });

  it('deletes an object, and deleting a missing one succeeds', async () => {
    const key = aKey();
    await putBytes(fx().store, key, randomBytes(10));
    await fx().store.delete(key);
    expect((await rejectionOf(fx().store.head(key))).code).to.equal('FILE.NOT_FOUND');
    await fx().store.delete(key);
  });

  it('deletes many keys at once', async () => {
    const keys = [aKey(), aKey(), aKey()];
    for (const key of keys) await putBytes(fx().store, key, randomBytes(10));
    await fx().store.deleteMany(keys);
    for (const key of keys) expect((await rejectionOf(fx().store.head(key))).code).to.equal('FILE.NOT_FOUND');
  });

  const keepsNothing = abilities.discardsUnfinishedRequests;
  it(`${keepsNothing ? 'keeps nothing' : `fails, yet ${server} keeps what arrived (real S3 keeps nothing),`} when the body fails half way (too large, client gone)`, async () => {
    const key = aKey();
    const failing = Readable.from(
      (async function* () {
        yield randomBytes(MIB);
        throw fileTooLarge(MIB);
      })(),
    );
    const error = await rejectionOf(
      fx().store.put(key, { body: failing, contentType: 'text/plain', contentLength: 2 * MIB }),
    );
    expect(error.code).to.equal('FILE.TOO_LARGE');
    if (keepsNothing) expect((await rejectionOf(fx().store.head(key))).code).to.equal('FILE.NOT_FOUND');
    else expect((await fx().store.head(key)).size).to.be.below(2 * MIB);
  });
}
