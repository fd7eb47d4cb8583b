import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { v7 } from 'uuid';
import { InMemoryFileStore } from '../../../../../src/adapters/files/in-memory/in-memory-file-store.js';
import { SignedFileLinks } from '../../../../../src/adapters/files/signed-links/signed-file-links.js';
import { signLink, type LinkClaims } from '../../../../../src/adapters/files/signed-links/signed-link.js';
import { FileKey } from '../../../../../src/domain/file/file-key.js';
import { plannedPartBytes, planParts } from '../../../../../src/domain/file/part-plan.js';
import type { Actor } from '../../../../../src/domain/user/user.js';
import { ManualClock } from '../../../../support/fakes.js';
import { bytesStream, readAll } from '../../../../support/file-bytes.js';
import { aFileCore } from '../../../../support/file-core.js';
import { tokenOf } from '../../../../support/file-links.js';
import { rejectionOf } from '../../../../support/rejection.js';

const MIB = 1024 * 1024;
const alice: Actor = { id: v7(), role: 'user' };
/** A body of unknown length, as a chunked request arrives. */
const chunked = (bytes: Buffer) => Readable.from([bytes.subarray(0, MIB), bytes.subarray(MIB)]);

function setUp() {
  const clock = new ManualClock(new Date());
  const secret = randomBytes(32);
  const store = new InMemoryFileStore({
    clock,
    linkSecret: secret,
    linkBaseUrl: '/v1/files/_local',
    presignMaxSeconds: 900,
  });
  const core = aFileCore({ store, clock, limits: { multipartThresholdBytes: 5 * MIB, partBytes: 5 * MIB } });
  const links = new SignedFileLinks(store, secret, clock, core.catalog);
  const put = (url: string, body: Readable, contentLength?: number, contentType?: string) =>
    links.serve(tokenOf(url), { method: 'PUT', body, contentType, contentLength });
  return { ...core, u: core.useCases, links, put };
}

async function startParts(w: ReturnType<typeof setUp>, size: number) {
  const { file, upload } = await w.u.startUpload.execute({
    actor: alice,
    name: 'x.bin',
    contentType: 'application/octet-stream',
    size,
  });
  if (upload.kind !== 'multipart') throw new Error('expected a multipart plan');
  return { file, upload };
}

async function startSingle(w: ReturnType<typeof setUp>, bytes: Buffer) {
  const { file, upload } = await w.u.startUpload.execute({
    actor: alice,
    name: 'x.csv',
    contentType: 'text/csv',
    size: bytes.length,
  });
  if (upload.kind !== 'single') throw new Error('expected a single PUT');
  return { file, upload };
}

describe('part plans', () => {
  it('gives every part the part size and the last one the rest', () => {
    const size = 12 * MIB + 1;
    const plan = planParts(size, 5 * MIB);
    expect([1, 2, 3].map((n) => plannedPartBytes(size, plan, n))).to.deep.equal([5 * MIB, 5 * MIB, 2 * MIB + 1]);
  });
});

describe('SignedFileLinks over the catalog', () => {
  it('holds each part link to its planned size: the last part takes the rest and nothing more', async () => {
    const w = setUp();
    const { file, upload } = await startParts(w, 6 * MIB);
    const [first, last] = upload.parts;
    expect((await rejectionOf(w.put(first!.url, bytesStream(randomBytes(7 * MIB)), 7 * MIB))).code).to.equal(
      'FILE.LINK_INVALID',
    );
    expect((await rejectionOf(w.put(last!.url, bytesStream(randomBytes(5 * MIB)), 5 * MIB))).code).to.equal(
      'FILE.LINK_INVALID',
    );
    expect((await rejectionOf(w.put(first!.url, chunked(randomBytes(7 * MIB))))).code).to.equal('FILE.TOO_LARGE');
    expect((await rejectionOf(w.put(first!.url, chunked(randomBytes(4 * MIB))))).code).to.equal(
      'FILE.UPLOAD_INCOMPLETE',
    );
    expect(await w.store.listParts(file.key(), upload.uploadId)).to.deep.equal([]);
    await w.put(first!.url, chunked(randomBytes(5 * MIB)));
    await w.put(last!.url, bytesStream(randomBytes(MIB)), MIB);
    expect((await w.u.completeUpload.execute({ actor: alice, id: file.id })).size).to.equal(6 * MIB);
  });

  it('refuses the links of a completed multipart upload', async () => {
    const w = setUp();
    const { file, upload } = await startParts(w, 6 * MIB);
    await w.put(upload.parts[0]!.url, bytesStream(randomBytes(5 * MIB)), 5 * MIB);
    await w.put(upload.parts[1]!.url, bytesStream(randomBytes(MIB)), MIB);
    await w.u.completeUpload.execute({ actor: alice, id: file.id });
    expect((await rejectionOf(w.put(upload.parts[1]!.url, bytesStream(randomBytes(MIB)), MIB))).code).to.equal(
      'FILE.LINK_INVALID',
    );
  });

  it('refuses a single-PUT link once its upload is aborted or completed, leaving what is stored', async () => {
    const w = setUp();
    const bytes = randomBytes(100);
    const aborted = await startSingle(w, bytes);
    await w.u.abortUpload.execute({ actor: alice, id: aborted.file.id });
    expect((await rejectionOf(w.put(aborted.upload.url, bytesStream(bytes), 100, 'text/csv'))).code).to.equal(
      'FILE.LINK_INVALID',
    );
    expect((await rejectionOf(w.store.head(aborted.file.key()))).code).to.equal('FILE.NOT_FOUND');

    const completed = await startSingle(w, bytes);
    await w.put(completed.upload.url, bytesStream(bytes), 100, 'text/csv');
    await w.u.completeUpload.execute({ actor: alice, id: completed.file.id });
    expect(
      (await rejectionOf(w.put(completed.upload.url, bytesStream(randomBytes(100)), 100, 'text/csv'))).code,
    ).to.equal('FILE.LINK_INVALID');
    expect(await readAll((await w.store.get(completed.file.key())).body)).to.deep.equal(bytes);
  });

  it('removes an object whose upload was aborted while its body arrived, and refuses it', async () => {
    const w = setUp();
    const bytes = randomBytes(100);
    const { file, upload } = await startSingle(w, bytes);
    const body = new Readable({ read: () => undefined });
    const sending = rejectionOf(w.put(upload.url, body, 100, 'text/csv'));
    body.push(bytes.subarray(0, 50));
    await new Promise((resolve) => setImmediate(resolve));
    await w.u.abortUpload.execute({ actor: alice, id: file.id });
    body.push(bytes.subarray(50));
    body.push(null);
    expect((await sending).code).to.equal('FILE.LINK_INVALID');
    expect((await rejectionOf(w.store.head(file.key()))).code).to.equal('FILE.NOT_FOUND');
  });

  it('refuses a write link whose file is no longer pending, whatever made it so', async () => {
    const w = setUp();
    const { file, upload } = await startSingle(w, randomBytes(10));
    await w.catalog.update(Object.assign(file, { status: 'ready' as const }));
    expect((await rejectionOf(w.put(upload.url, bytesStream(randomBytes(10)), 10, 'text/csv'))).code).to.equal(
      'FILE.LINK_INVALID',
    );
  });
});

describe('SignedFileLinks and part links signed before parts had a size', () => {
  it('refuses them, chunked bodies included, rather than take any size', async () => {
    const secret = randomBytes(32);
    const clock = new ManualClock(new Date());
    const store = new InMemoryFileStore({ clock, linkSecret: secret });
    const key = FileKey.for(v7(), v7());
    const uploadId = await store.createMultipart(key, { contentType: 'text/plain' });
    const claims = {
      op: 'part',
      key: key.value,
      exp: Math.floor(clock.now().getTime() / 1000) + 60,
      uploadId,
      partNumber: 1,
    };
    const token = signLink(secret, claims as unknown as LinkClaims);
    const links = new SignedFileLinks(store, secret, clock);
    const error = await rejectionOf(links.serve(token, { method: 'PUT', body: chunked(randomBytes(2 * MIB)) }));
    expect(error.code).to.equal('FILE.LINK_INVALID');
    expect(await store.listParts(key, uploadId)).to.deep.equal([]);
  });
});
