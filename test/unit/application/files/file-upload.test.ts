import { expect } from 'chai';
import { Readable } from 'node:stream';
import { v7 } from 'uuid';
import { InMemoryFileCatalog } from '../../../../src/adapters/persistence/in-memory/in-memory-file-catalog.js';
import type { StoredFile } from '../../../../src/domain/file/stored-file.js';
import type { Actor } from '../../../../src/domain/user/user.js';
import { aFileCore } from '../../../support/file-core.js';
import { bytesStream, patternSha256, patternStream, readAll, sha256 } from '../../../support/file-bytes.js';
import { rejectionOf } from '../../../support/rejection.js';

const alice: Actor = { id: v7(), role: 'user' };
const KIB = 1024;

/** Remembers every row it was given, so a test can look for what a failed upload left behind. */
class RecordingCatalog extends InMemoryFileCatalog {
  readonly created: StoredFile[] = [];
  override async create(file: StoredFile): Promise<void> {
    this.created.push(file);
    return super.create(file);
  }
}

describe('UploadFile', () => {
  it('streams the body to the store and records its size and SHA-256 once it is ready', async () => {
    const { useCases, store, catalog } = aFileCore();
    const size = 3 * 1024 * KIB + 7;
    const file = await useCases.uploadFile.execute({
      actor: alice,
      name: 'video.mp4',
      contentType: 'video/mp4',
      contentLength: size,
      body: patternStream(size),
    });
    expect([file.status, file.size, file.checksum, file.ownerId, file.contentType]).to.deep.equal([
      'ready',
      size,
      patternSha256(size),
      alice.id,
      'video/mp4',
    ]);
    expect(await catalog.findById(file.id)).to.deep.equal(file);
    expect(sha256(await readAll((await store.get(file.key())).body))).to.equal(patternSha256(size));
  });

  it('takes a chunked body of unknown length and defaults the content type', async () => {
    const { useCases } = aFileCore();
    const file = await useCases.uploadFile.execute({
      actor: alice,
      name: 'notes',
      body: bytesStream(Buffer.from('hello')),
    });
    expect([file.size, file.contentType, file.checksum]).to.deep.equal([
      5,
      'application/octet-stream',
      sha256(Buffer.from('hello')),
    ]);
  });

  it('refuses a declared length over the limit before reading a byte, and keeps nothing', async () => {
    const { useCases, catalog } = aFileCore({ limits: { maxUploadBytes: 10 } });
    const body = bytesStream(Buffer.alloc(11));
    const error = await rejectionOf(
      useCases.uploadFile.execute({ actor: alice, name: 'big', contentLength: 11, body }),
    );
    expect(error.code).to.equal('FILE.TOO_LARGE');
    expect(body.readableFlowing).to.equal(null);
    expect((await catalog.list({ limit: 10 })).items).to.deep.equal([]);
  });

  it('cuts off a chunked body that grows past the limit, and keeps no object and no row', async () => {
    const catalog = new RecordingCatalog();
    const { useCases, store } = aFileCore({ catalog, limits: { maxUploadBytes: 100 * KIB } });
    const error = await rejectionOf(
      useCases.uploadFile.execute({ actor: alice, name: 'big', body: patternStream(1024 * KIB, 2, 16 * KIB) }),
    );
    expect(error.code).to.equal('FILE.TOO_LARGE');
    const [attempt] = catalog.created;
    expect(await catalog.findById(attempt!.id)).to.equal(null);
    expect((await rejectionOf(store.head(attempt!.key()))).code).to.equal('FILE.NOT_FOUND');
    expect(await store.listVersions(attempt!.key())).to.deep.equal([]);
  });

  it('refuses a body that ends before its declared length as FILE.UPLOAD_INCOMPLETE, keeping nothing', async () => {
    const { useCases, catalog } = aFileCore();
    const error = await rejectionOf(
      useCases.uploadFile.execute({
        actor: alice,
        name: 'short',
        contentLength: 10,
        body: bytesStream(Buffer.alloc(4)),
      }),
    );
    expect(error.code).to.equal('FILE.UPLOAD_INCOMPLETE');
    expect(await catalog.listByOwner(alice.id)).to.deep.equal([]);
  });

  it('treats a body that fails mid-way (the client went away) as an unfinished upload', async () => {
    const { useCases, catalog } = aFileCore();
    const body = new Readable({ read() {} });
    body.push(Buffer.alloc(1000));
    setImmediate(() => body.destroy(new Error('socket hang up')));
    const error = await rejectionOf(
      useCases.uploadFile.execute({ actor: alice, name: 'gone', contentLength: 5000, body }),
    );
    expect(error.code).to.equal('FILE.UPLOAD_INCOMPLETE');
    expect(await catalog.listByOwner(alice.id)).to.deep.equal([]);
  });

  it('refuses a name with control characters or a malformed content type before anything is stored', async () => {
    const { useCases, catalog } = aFileCore();
    const badName = await rejectionOf(
      useCases.uploadFile.execute({ actor: alice, name: 'a\r\nb', body: bytesStream(Buffer.from('x')) }),
    );
    const badType = await rejectionOf(
      useCases.uploadFile.execute({
        actor: alice,
        name: 'a',
        contentType: 'nonsense',
        body: bytesStream(Buffer.from('x')),
      }),
    );
    expect([badName.code, badType.code]).to.deep.equal(['REQUEST.INVALID', 'REQUEST.INVALID']);
    expect(await catalog.listByOwner(alice.id)).to.deep.equal([]);
  });
});
