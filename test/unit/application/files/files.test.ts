import { expect } from 'chai';
import { v7 } from 'uuid';
import { InMemoryFileStore } from '../../../../src/adapters/files/in-memory/in-memory-file-store.js';
import type { Actor } from '../../../../src/domain/user/user.js';
import { ManualClock } from '../../../support/fakes.js';
import { aFileCore } from '../../../support/file-core.js';
import { bytesStream, readAll } from '../../../support/file-bytes.js';
import { rejectionOf } from '../../../support/rejection.js';

const alice: Actor = { id: v7(), role: 'user' };
const bob: Actor = { id: v7(), role: 'user' };
const admin: Actor = { id: v7(), role: 'admin' };
const DIGITS = Buffer.from('0123456789');

function setUp() {
  const clock = new ManualClock(new Date());
  const store = new InMemoryFileStore({ clock, linkBaseUrl: '/v1/files/_local', presignMaxSeconds: 900 });
  const core = aFileCore({ store, clock, limits: { presignMaxSeconds: 600 } });
  const upload = (actor: Actor, bytes = DIGITS, name = 'digits.txt') =>
    core.useCases.uploadFile.execute({
      actor,
      name,
      contentType: 'text/plain',
      contentLength: bytes.length,
      body: bytesStream(bytes),
    });
  return { ...core, store, upload };
}

describe('ListFiles and GetFile', () => {
  it("lists the caller's own files, page by page", async () => {
    const { useCases: u, upload } = setUp();
    const mine = [await upload(alice), await upload(alice), await upload(alice)];
    await upload(bob);
    const first = await u.listFiles.execute({ actor: alice, limit: 2 });
    const second = await u.listFiles.execute({ actor: alice, limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((f) => f.id)).to.deep.equal(mine.map((f) => f.id));
    expect(second.nextCursor).to.equal(null);
  });

  it("lets an admin list another user's files, and nobody else", async () => {
    const { useCases: u, upload } = setUp();
    const bobs = await upload(bob);
    expect(
      (await u.listFiles.execute({ actor: admin, limit: 10, ownerId: bob.id })).items.map((f) => f.id),
    ).to.deep.equal([bobs.id]);
    expect((await rejectionOf(u.listFiles.execute({ actor: alice, limit: 10, ownerId: bob.id }))).code).to.equal(
      'AUTH.FORBIDDEN',
    );
    expect((await u.listFiles.execute({ actor: alice, limit: 10, ownerId: alice.id })).items).to.deep.equal([]);
  });

  it("answers FILE.NOT_FOUND for another user's file and for an unknown id; an admin sees any", async () => {
    const { useCases: u, upload } = setUp();
    const file = await upload(alice);
    expect((await rejectionOf(u.getFile.execute({ actor: bob, id: file.id }))).code).to.equal('FILE.NOT_FOUND');
    expect((await rejectionOf(u.getFile.execute({ actor: alice, id: v7() }))).code).to.equal('FILE.NOT_FOUND');
    expect((await u.getFile.execute({ actor: admin, id: file.id })).id).to.equal(file.id);
  });
});

describe('DownloadFile and GetDownloadUrl', () => {
  // The header's real format is the HTTP adapter's (see content-disposition.test.ts); here only that the name goes in.
  const asAttachment = (name: string) => `attachment; name=${name}`;

  it('streams the whole file, a range, an open range and a suffix', async () => {
    const { useCases: u, upload } = setUp();
    const { id } = await upload(alice);
    const read = async (range?: Parameters<typeof u.downloadFile.execute>[0]['range']) =>
      (await readAll((await u.downloadFile.execute({ actor: alice, id, range })).content.body)).toString();
    expect([
      await read(),
      await read({ start: 2, end: 4 }),
      await read({ start: 7 }),
      await read({ suffix: 3 }),
      await read({ suffix: 50 }),
    ]).to.deep.equal(['0123456789', '234', '789', '789', '0123456789']);
    const ranged = await u.downloadFile.execute({ actor: alice, id, range: { start: 2, end: 100 } });
    expect(ranged.content.contentRange).to.deep.equal({ start: 2, end: 9, size: 10 });
  });

  it('refuses a range past the end, and an empty suffix, as FILE.RANGE_NOT_SATISFIABLE', async () => {
    const { useCases: u, upload } = setUp();
    const { id } = await upload(alice);
    for (const range of [{ start: 10 }, { suffix: 0 }]) {
      expect((await rejectionOf(u.downloadFile.execute({ actor: alice, id, range }))).code).to.equal(
        'FILE.RANGE_NOT_SATISFIABLE',
      );
    }
  });

  it('has no content for a pending file', async () => {
    const { useCases: u } = setUp();
    const { file } = await u.startUpload.execute({ actor: alice, name: 'x', contentType: 'text/plain', size: 3 });
    expect((await rejectionOf(u.downloadFile.execute({ actor: alice, id: file.id }))).code).to.equal('FILE.NOT_FOUND');
    expect(
      (await rejectionOf(u.getDownloadUrl.execute({ actor: alice, id: file.id, disposition: asAttachment }))).code,
    ).to.equal('FILE.NOT_FOUND');
  });

  it('signs a download link for at most the configured lifetime, as an attachment under its name', async () => {
    const { useCases: u, upload, store, clock } = setUp();
    const { id } = await upload(alice, DIGITS, 'Zoë.txt');
    const long = await u.getDownloadUrl.execute({ actor: alice, id, expiresIn: 86_400, disposition: asAttachment });
    expect(long.expiresAt.getTime() - clock.now().getTime()).to.be.closeTo(600_000, 1000);
    const short = await u.getDownloadUrl.execute({ actor: alice, id, expiresIn: 30, disposition: asAttachment });
    expect(short.expiresAt.getTime() - clock.now().getTime()).to.be.closeTo(30_000, 1000);
    const answer = await store.links.serve(short.url.split('/').pop()!, { method: 'GET' });
    if (answer.kind !== 'content') throw new Error('expected content');
    expect(answer.contentDisposition).to.equal('attachment; name=Zoë.txt');
    expect((await readAll(answer.content.body)).toString()).to.equal('0123456789');
  });

  it("never signs for another user's file", async () => {
    const { useCases: u, upload } = setUp();
    const { id } = await upload(alice);
    expect((await rejectionOf(u.getDownloadUrl.execute({ actor: bob, id, disposition: asAttachment }))).code).to.equal(
      'FILE.NOT_FOUND',
    );
  });
});

describe('DeleteFile and DeleteUserFiles', () => {
  it('deletes the bytes and the row', async () => {
    const { useCases: u, upload, store, catalog } = setUp();
    const file = await upload(alice);
    expect((await rejectionOf(u.deleteFile.execute({ actor: bob, id: file.id }))).code).to.equal('FILE.NOT_FOUND');
    await u.deleteFile.execute({ actor: alice, id: file.id });
    expect(await catalog.findById(file.id)).to.equal(null);
    expect((await rejectionOf(store.head(file.key()))).code).to.equal('FILE.NOT_FOUND');
  });

  it("deletes every file of a user, open uploads included, and nobody else's", async () => {
    const { useCases: u, upload, store, catalog, deleteUserFiles } = setUp();
    const ready = [await upload(alice), await upload(alice)];
    const { file: open, upload: plan } = await u.startUpload.execute({
      actor: alice,
      name: 'x',
      contentType: 'text/plain',
      size: 9 * 1024 * 1024,
    });
    const bobs = await upload(bob);
    await deleteUserFiles.execute(alice.id);
    expect(await catalog.listByOwner(alice.id)).to.deep.equal([]);
    for (const file of ready) expect((await rejectionOf(store.head(file.key()))).code).to.equal('FILE.NOT_FOUND');
    if (plan.kind !== 'multipart') throw new Error('expected a multipart plan');
    expect((await rejectionOf(store.listParts(open.key(), plan.uploadId))).code).to.equal('FILE.NOT_FOUND');
    expect((await store.head(bobs.key())).size).to.equal(10);
  });
});

describe('ListVersions, RestoreVersion, SetLegalHold and SetRetention', () => {
  it('lists versions and restores one; only the version the server hashed keeps its checksum', async () => {
    const { useCases: u, upload, store } = setUp();
    const file = await upload(alice);
    await store.put(file.key(), { body: bytesStream(Buffer.from('newer bytes')), contentType: 'text/plain' });
    const versions = await u.listVersions.execute({ actor: alice, id: file.id });
    expect(versions.map((v) => [v.size, v.isLatest])).to.deep.equal([
      [11, true],
      [10, false],
    ]);
    const newer = await u.restoreVersion.execute({ actor: alice, id: file.id, versionId: versions[0]!.versionId });
    expect([newer.size, newer.checksum]).to.deep.equal([11, undefined]);
    expect(newer.versionId).to.equal((await u.listVersions.execute({ actor: alice, id: file.id }))[0]!.versionId);
    const older = await u.restoreVersion.execute({ actor: alice, id: file.id, versionId: file.versionId! });
    expect([older.size, older.checksum]).to.deep.equal([10, undefined]);
    expect((await rejectionOf(u.listVersions.execute({ actor: bob, id: file.id }))).code).to.equal('FILE.NOT_FOUND');
  });

  it('keeps the checksum when the version restored is the one the server hashed', async () => {
    const { useCases: u, upload } = setUp();
    const file = await upload(alice);
    const restored = await u.restoreVersion.execute({ actor: alice, id: file.id, versionId: file.versionId! });
    expect([restored.size, restored.checksum]).to.deep.equal([10, file.checksum]);
    expect(restored.versionId).to.not.equal(file.versionId);
  });

  it('lets only an admin set a legal hold or retention, and only until a future date', async () => {
    const { useCases: u, upload, store, clock } = setUp();
    const file = await upload(alice);
    expect((await rejectionOf(u.setLegalHold.execute({ actor: alice, id: file.id, enabled: true }))).code).to.equal(
      'AUTH.FORBIDDEN',
    );
    expect(await u.setLegalHold.execute({ actor: admin, id: file.id, enabled: true })).to.deep.equal({ enabled: true });
    const retainUntil = new Date(clock.now().getTime() + 86_400_000);
    await u.setRetention.execute({ actor: admin, id: file.id, retention: { mode: 'GOVERNANCE', retainUntil } });
    expect(await store.head(file.key())).to.deep.include({
      legalHold: true,
      retention: { mode: 'GOVERNANCE', retainUntil },
    });
    const past = { mode: 'GOVERNANCE' as const, retainUntil: new Date(clock.now().getTime() - 1) };
    expect((await rejectionOf(u.setRetention.execute({ actor: admin, id: file.id, retention: past }))).code).to.equal(
      'REQUEST.INVALID',
    );
    expect((await rejectionOf(u.setRetention.execute({ actor: bob, id: file.id, retention: past }))).code).to.equal(
      'AUTH.FORBIDDEN',
    );
  });
});
