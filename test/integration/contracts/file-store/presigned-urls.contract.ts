import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { FileKey } from '../../../../src/domain/file/file-key.js';
import { md5 } from '../../../support/file-bytes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { aKey, putBytes, type FileStoreFixture, type StoreAbilities } from './fixture.js';

/** Pre-signed GET and PUT URLs, as a plain HTTP client uses them: what they carry, check and grant. */
export function presignedUrlAssertions(fx: () => FileStoreFixture, abilities: StoreAbilities) {
  const { server } = abilities;
  it('serves a pre-signed GET to a plain HTTP client, with the asked-for disposition', async () => {
    const key = aKey();
    const bytes = randomBytes(256 * 1024);
    await putBytes(fx().store, key, bytes, 'application/pdf');
    const signed = await fx().store.presignGet(key, {
      expiresInSeconds: 60,
      contentDisposition: 'attachment; filename="a.pdf"',
    });
    const res = await fetch(signed.url, { headers: signed.headers });
    expect(res.status).to.equal(200);
    expect(Buffer.from(await res.arrayBuffer())).to.deep.equal(bytes);
    expect(res.headers.get('content-disposition')).to.equal('attachment; filename="a.pdf"');
  });

  it('takes a pre-signed PUT from a plain HTTP client', async () => {
    const key = aKey();
    const bytes = randomBytes(300 * 1024);
    const signed = await fx().store.presignPut(key, {
      contentType: 'text/csv',
      contentLength: bytes.length,
      expiresInSeconds: 60,
    });
    expect(signed.method).to.equal('PUT');
    expect(new URL(signed.url).search).to.not.match(/x-amz-checksum/i);
    const res = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: bytes });
    expect(res.status).to.equal(200);
    const head = await fx().store.head(key);
    expect([head.size, head.contentType, head.etag]).to.deep.equal([bytes.length, 'text/csv', md5(bytes)]);
  });

  const sendOffType = async (key: FileKey) => {
    const signed = await fx().store.presignPut(key, {
      contentType: 'text/csv',
      contentLength: 100,
      expiresInSeconds: 60,
    });
    const otherType = await fetch(signed.url, {
      method: 'PUT',
      headers: { ...signed.headers, 'content-type': 'text/html' },
      body: randomBytes(100),
    });
    const otherLength = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: randomBytes(101) });
    return [otherType.status, otherLength.status];
  };
  if (abilities.enforcesSignedHeaders) {
    it('refuses a pre-signed PUT sent with another content type or length, and keeps nothing', async () => {
      const key = aKey();
      expect(await sendOffType(key)).to.deep.equal([403, 403]);
      expect((await rejectionOf(fx().store.head(key))).code).to.equal('FILE.NOT_FOUND');
    });
  } else {
    it(`takes a pre-signed PUT sent with another content type or length (${server} checks no signature; real S3 answers 403)`, async () => {
      const key = aKey();
      expect(await sendOffType(key)).to.deep.equal([200, 200]);
      expect((await fx().store.head(key)).size).to.equal(101);
    });
  }

  const fetchExpired = async () => {
    const key = aKey();
    await putBytes(fx().store, key, randomBytes(10));
    fx().clock.shift(-3600_000);
    const signed = await fx().store.presignGet(key, { expiresInSeconds: 60 });
    fx().clock.shift(0);
    expect(signed.expiresAt.getTime()).to.be.below(Date.now());
    return (await fetch(signed.url)).status;
  };
  if (abilities.refusesExpiredUrls) {
    it('refuses a pre-signed URL once it has expired', async () => {
      expect(await fetchExpired()).to.equal(403);
    });
  } else {
    it(`serves a pre-signed URL after it has expired (${server} does not check X-Amz-Expires; real S3 answers 403)`, async () => {
      expect(await fetchExpired()).to.equal(200);
    });
  }

  it('grants no more than the configured lifetime', async () => {
    const signed = await fx().store.presignGet(aKey(), { expiresInSeconds: 10 ** 6 });
    const granted = (signed.expiresAt.getTime() - Date.now()) / 1000;
    expect(granted).to.be.within(fx().presignMaxSeconds - 5, fx().presignMaxSeconds);
  });
}
