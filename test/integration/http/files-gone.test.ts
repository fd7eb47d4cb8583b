import { expect } from 'chai';
import type { Container } from 'inversify';
import { RecordObjectRemoved } from '../../../src/application/files/record-object-removed.js';
import type { Clock } from '../../../src/domain/ports/clock.js';
import type { FileCatalog } from '../../../src/domain/ports/file-catalog.js';
import type { FileStore } from '../../../src/domain/ports/file-store.js';
import { TOKENS as T } from '../../../src/infrastructure/container/tokens.js';
import { expectStatus, people } from '../../support/file-app.js';
import { bytesStream } from '../../support/file-bytes.js';
import { bearer, streamRequest } from '../../support/file-http.js';
import { expectProblem, send } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';

interface FileView {
  id: string;
  status: string;
  versionId?: string;
}

describe('HTTP files whose object was removed outside the API (gone)', function () {
  this.timeout(30_000);
  let app: Portico;
  let ports: { store: FileStore; catalog: FileCatalog; clock: Clock };
  let alice: Awaited<ReturnType<typeof people>>['alice'];
  let bob: typeof alice;
  let admin: string;

  before(async () => {
    let container: Container | undefined;
    app = await startPortico({ FILE_STORE: 'memory' }, { override: (c) => void (container = c) });
    ports = {
      store: await container!.getAsync(T.FileStore),
      catalog: await container!.getAsync(T.FileCatalog),
      clock: await container!.getAsync(T.Clock),
    };
    ({ alice, bob, admin } = await people(app));
  });
  after(() => app.stop());

  const upload = async (text: string): Promise<FileView> => {
    const bytes = Buffer.from(text);
    const res = await streamRequest(app.url, '/v1/files?name=notes.txt', {
      headers: { ...bearer(alice.token), 'content-type': 'text/plain', 'content-length': String(bytes.length) },
      body: bytesStream(bytes),
    });
    expectStatus(res, 201);
    return res.body.file;
  };

  /** What a delete from the console does (a delete marker), then what the worker makes of its event. */
  const removedOutside = async (file: FileView) => {
    const row = (await ports.catalog.findById(file.id))!;
    await ports.store.delete(row.key());
    const outcome = await new RecordObjectRemoved(ports.catalog, ports.store, ports.clock).execute({
      key: row.key().value,
    });
    expect(outcome).to.equal('gone');
  };

  const listed = async (token: string, query = '') =>
    ((await send(app, 'GET', `/v1/files${query}`, { token })).body.items as FileView[]).map((f) => f.id);

  it("leaves a gone file out of its owner's list and answers 410 FILE.GONE for it, its content and a link", async () => {
    const [kept, file] = [await upload('kept'), await upload('hello')];
    await removedOutside(file);
    expect(await listed(alice.token))
      .to.include(kept.id)
      .and.not.include(file.id);
    expect(await listed(admin, `?ownerId=${alice.id}`))
      .to.include(kept.id)
      .and.not.include(file.id);
    for (const path of ['', '/content', '/download-url']) {
      expectProblem(await send(app, 'GET', `/v1/files/${file.id}${path}`, { token: alice.token }), 410, 'FILE.GONE');
      expectProblem(await send(app, 'GET', `/v1/files/${file.id}${path}`, { token: bob.token }), 404, 'FILE.NOT_FOUND');
    }
    expectProblem(await send(app, 'GET', `/v1/files/${file.id}`, { token: admin }), 410, 'FILE.GONE');
  });

  it('lists the versions left behind, none of them latest (a delete marker is), and restores one', async () => {
    const file = await upload('hello');
    await removedOutside(file);
    const versions = await send(app, 'GET', `/v1/files/${file.id}/versions`, { token: alice.token });
    expectStatus(versions, 200);
    expect(
      versions.body.items.map((v: { versionId: string; isLatest: boolean }) => [v.versionId, v.isLatest]),
    ).to.deep.equal([[file.versionId, false]]);
    const restored = await send(app, 'POST', `/v1/files/${file.id}/versions/${file.versionId}/restore`, {
      token: alice.token,
    });
    expectStatus(restored, 200);
    expect(restored.body.file).to.include({ status: 'ready', size: 5 });
    expect(restored.body.file.versionId).to.be.a('string').and.not.equal(file.versionId);
    expect(await listed(alice.token)).to.include(file.id);
    const content = await send(app, 'GET', `/v1/files/${file.id}/content`, { token: alice.token });
    expect([content.status, content.text]).to.deep.equal([200, 'hello']);
    expect((await send(app, 'GET', `/v1/files/${file.id}`, { token: alice.token })).body.file.status).to.equal('ready');
  });

  it('deletes a gone file, row and all', async () => {
    const file = await upload('bye');
    await removedOutside(file);
    expectStatus(await send(app, 'DELETE', `/v1/files/${file.id}`, { token: alice.token }), 204);
    expectProblem(await send(app, 'GET', `/v1/files/${file.id}`, { token: alice.token }), 404, 'FILE.NOT_FOUND');
    const versions = await send(app, 'GET', `/v1/files/${file.id}/versions`, { token: alice.token });
    expectProblem(versions, 404, 'FILE.NOT_FOUND');
  });

  it('documents gone: the status in File, and 410 on the routes that answer it', async () => {
    const doc = (await send(app, 'GET', '/openapi.json')).body;
    expect(doc.components.schemas.File.properties.status.enum).to.deep.equal(['pending', 'ready', 'gone']);
    for (const path of ['/v1/files/{id}', '/v1/files/{id}/content', '/v1/files/{id}/download-url'])
      expect(Object.keys(doc.paths[path].get.responses), path).to.include('410');
    expect(Object.keys(doc.paths['/v1/files/{id}/versions'].get.responses)).to.not.include('410');
  });
});
