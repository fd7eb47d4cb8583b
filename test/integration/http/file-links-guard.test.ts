import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { bytesStream, patternStream } from '../../support/file-bytes.js';
import { download, bearer, streamRequest } from '../../support/file-http.js';
import { expectStatus, people, storedUnder } from '../../support/file-app.js';
import { expectProblem, send } from '../../support/http-client.js';
import { MEMORY_BACKEND, usePortico } from '../../support/backends.js';

const MIB = 1024 * 1024;

/** The links the app answers for the local-disk store hold to the plan, and die with their upload. */
describe('HTTP upload links on the local-disk store', function () {
  this.timeout(30_000);
  const sizes = {
    MAX_UPLOAD_BYTES: String(6 * MIB),
    MULTIPART_THRESHOLD_BYTES: String(5 * MIB),
    MULTIPART_PART_BYTES: String(5 * MIB),
  };
  const app = usePortico(MEMORY_BACKEND, { FILE_STORE: 'local', ...sizes });
  let alice: Awaited<ReturnType<typeof people>>['alice'];

  before(async () => {
    ({ alice } = await people(app));
  });

  const start = async (size: number, contentType = 'application/octet-stream') => {
    const res = await send(app, 'POST', '/v1/files/uploads', {
      token: alice.token,
      json: { name: 'f.bin', contentType, size },
    });
    expectStatus(res, 201);
    return res.body as {
      file: { id: string };
      upload: {
        kind: string;
        url: string;
        headers: Record<string, string>;
        uploadId: string;
        parts: { url: string }[];
      };
    };
  };
  const partsOf = async (uploadId: string) =>
    (await storedUnder(app)).filter((f) => f.startsWith(`uploads/${uploadId}/part-`));
  const objectsOf = async (id: string) => (await storedUnder(app)).filter((f) => f.includes(id));
  const putTo = (url: string, body: NodeJS.ReadableStream, headers: Record<string, string> = {}) =>
    streamRequest(url, url, { method: 'PUT', headers, body: body as never });

  it('refuses a 7 MiB body to a 5 MiB part link before reading it, storing no part', async () => {
    const { upload } = await start(6 * MIB);
    expect(upload.kind).to.equal('multipart');
    const res = await putTo(upload.parts[0]!.url, patternStream(7 * MIB), { 'content-length': String(7 * MIB) });
    expect([res.status, res.body.code]).to.deep.equal([403, 'FILE.LINK_INVALID']);
    expect(await partsOf(upload.uploadId)).to.deep.equal([]);
  });

  it('cuts a chunked body off at the planned size of its part (413), storing no part', async () => {
    const { upload } = await start(6 * MIB);
    const res = await putTo(upload.parts[1]!.url, patternStream(7 * MIB));
    expect([res.status, res.body.code]).to.deep.equal([413, 'FILE.TOO_LARGE']);
    expect(await partsOf(upload.uploadId)).to.deep.equal([]);
  });

  it('takes a chunked part of exactly the planned size', async () => {
    const { upload } = await start(6 * MIB);
    expectStatus(await putTo(upload.parts[1]!.url, patternStream(MIB)), 200);
    expect(await partsOf(upload.uploadId)).to.have.length(1);
  });

  it('refuses the single-PUT link of an aborted upload, writing no object', async () => {
    const bytes = randomBytes(1000);
    const { file, upload } = await start(bytes.length, 'text/csv');
    expectStatus(await send(app, 'DELETE', `/v1/files/${file.id}/upload`, { token: alice.token }), 204);
    const res = await putTo(upload.url, bytesStream(bytes), {
      ...upload.headers,
      'content-length': String(bytes.length),
    });
    expect([res.status, res.body.code]).to.deep.equal([403, 'FILE.LINK_INVALID']);
    expect(await objectsOf(file.id)).to.deep.equal([]);
    expectProblem(await send(app, 'GET', `/v1/files/${file.id}`, { token: alice.token }), 404, 'FILE.NOT_FOUND');
  });

  it('refuses the single-PUT link of a completed upload, leaving the object and the row as they were', async () => {
    const bytes = randomBytes(1000);
    const { file, upload } = await start(bytes.length, 'text/csv');
    const headers = { ...upload.headers, 'content-length': String(bytes.length) };
    expectStatus(await putTo(upload.url, bytesStream(bytes), headers), 200);
    const done = await send(app, 'POST', `/v1/files/${file.id}/complete`, { token: alice.token, json: {} });
    expectStatus(done, 200);
    const res = await putTo(upload.url, bytesStream(randomBytes(1000)), headers);
    expect([res.status, res.body.code]).to.deep.equal([403, 'FILE.LINK_INVALID']);
    const back = await download(`${app.url}/v1/files/${file.id}/content`, bearer(alice.token));
    expect(back.head).to.deep.equal(bytes);
    expect((await send(app, 'GET', `/v1/files/${file.id}`, { token: alice.token })).body.file).to.deep.equal(
      done.body.file,
    );
  });

  it('refuses the part link of an aborted upload as an invalid link, leaving no part directory', async () => {
    const { file, upload } = await start(6 * MIB);
    expectStatus(await send(app, 'DELETE', `/v1/files/${file.id}/upload`, { token: alice.token }), 204);
    const res = await putTo(upload.parts[1]!.url, bytesStream(randomBytes(MIB)), { 'content-length': String(MIB) });
    expect([res.status, res.body.code]).to.deep.equal([403, 'FILE.LINK_INVALID']);
    expect((await storedUnder(app)).filter((f) => f.startsWith(`uploads/${upload.uploadId}`))).to.deep.equal([]);
  });
});
