import {
  GetBucketWebsiteCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { docsSiteFiles, publishDocsSite } from '../../../src/adapters/files/s3/s3-docs-site.js';
import {
  createTestBucket,
  motoEnv,
  motoS3Client,
  requireMoto,
  type Moto,
  type TestBucket,
} from '../../support/moto.js';
import { startChild } from '../../support/start-child.js';

const document = (version: string) =>
  JSON.stringify({ openapi: '3.1.0', info: { title: 'Portico', version }, paths: {} });
const OPENAPI = document('1');
const SERVED = document('2');
const SITE = {
  'favicon-32x32.png': ['image/png', 'public, max-age=3600'],
  'index.html': ['text/html; charset=utf-8', 'no-cache'],
  'init.js': ['text/javascript; charset=utf-8', 'public, max-age=3600'],
  'openapi.json': ['application/json', 'no-cache'],
  'swagger-ui-bundle.js': ['text/javascript; charset=utf-8', 'public, max-age=3600'],
  'swagger-ui.css': ['text/css; charset=utf-8', 'public, max-age=3600'],
};

describe('docs:publish on moto', function () {
  this.timeout(60_000);
  let moto: Moto;
  let client: S3Client;
  let bucket: TestBucket;
  let app: Server;
  let appUrl: string;
  const text = async (key: string) =>
    (await client.send(new GetObjectCommand({ Bucket: bucket.name, Key: key }))).Body?.transformToString() ?? '';
  /** Every object's key, content type and cache policy, as S3 serves them. */
  const stored = async () => {
    const keys = ((await client.send(new ListObjectsV2Command({ Bucket: bucket.name }))).Contents ?? []).map(
      (o) => o.Key ?? '',
    );
    const heads = await Promise.all(
      keys.map((Key) => client.send(new HeadObjectCommand({ Bucket: bucket.name, Key }))),
    );
    return Object.fromEntries(keys.map((key, i) => [key, [heads[i]?.ContentType, heads[i]?.CacheControl]]));
  };

  before(async function () {
    moto = requireMoto(this);
    client = motoS3Client(moto);
    bucket = await createTestBucket(client);
    // Stands in for a running app answering GET /openapi.json.
    app = createServer((req, res) => (req.url === '/openapi.json' ? res.end(SERVED) : res.writeHead(404).end())).listen(
      0,
      '127.0.0.1',
    );
    await once(app, 'listening');
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  after(async () => {
    app?.close();
    await bucket?.remove();
    client?.destroy();
  });

  it('uploads Swagger UI around the OpenAPI document, each file with its type, and turns on website hosting', async () => {
    await publishDocsSite(client, bucket.name, await docsSiteFiles(OPENAPI));
    expect(await stored()).to.deep.equal(SITE);
    expect(await text('index.html')).to.include('<script src="swagger-ui-bundle.js"></script>');
    expect(await text('init.js')).to.include("url: 'openapi.json'");
    expect(await text('openapi.json')).to.equal(OPENAPI);
    expect((await text('swagger-ui-bundle.js')).length).to.be.greaterThan(100_000);
    const website = await client.send(new GetBucketWebsiteCommand({ Bucket: bucket.name }));
    expect([website.IndexDocument, website.ErrorDocument, website.RedirectAllRequestsTo]).to.deep.equal([
      { Suffix: 'index.html' },
      undefined,
      undefined,
    ]);
  });

  describe('npm run docs:publish', () => {
    // Only region and path style come from our settings; the endpoint and keys reach the SDK through
    // its own standard variables, which is what this proves.
    const cli = (...args: string[]) =>
      startChild(
        'npm',
        ['run', '--silent', 'docs:publish', '--', ...args],
        { ...motoEnv(moto), S3_REGION: moto.region, S3_FORCE_PATH_STYLE: 'true' },
        { limitMs: 45_000 },
      ).finished;

    it('publishes the document a running app serves, to the endpoint named by AWS_ENDPOINT_URL_S3', async () => {
      const { code, stdout, output } = await cli('--bucket', bucket.name, '--openapi', `${appUrl}/openapi.json`);
      expect(code, output).to.equal(0);
      expect(stdout).to.include(`to ${bucket.name}; website hosting on (index.html)`);
      expect(await text('openapi.json')).to.equal(SERVED);
      expect(await stored()).to.deep.equal(SITE);
      expect((await client.send(new GetBucketWebsiteCommand({ Bucket: bucket.name }))).IndexDocument).to.deep.equal({
        Suffix: 'index.html',
      });
    });

    it('refuses a source that is not an OpenAPI document, and exits non-zero', async () => {
      const failure = await cli('--bucket', bucket.name, '--openapi', 'package.json');
      expect(failure.code).to.equal(1);
      expect(failure.stderr).to.include('package.json is not an OpenAPI document');
      expect(await text('openapi.json')).to.equal(SERVED);
    });
  });
});
