import { GetBucketWebsiteCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { createS3Client } from '../../../src/adapters/files/s3/s3-client.js';
import { docsSiteFiles, publishDocsSite } from '../../../src/adapters/files/s3/s3-docs-site.js';
import { startS3rver, type RunningS3rver } from '../../support/s3rver.js';

const document = (version: string) => JSON.stringify({ openapi: '3.1.0', info: { title: 'Portico', version }, paths: {} });
const OPENAPI = document('1');
const SERVED = document('2');
const run = promisify(execFile);
const text = async (client: S3Client, bucket: string, key: string) =>
  (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString() ?? '';

describe('docs:publish', function () {
  this.timeout(60_000);
  let s3: RunningS3rver;
  let client: S3Client;
  let app: Server;
  let appUrl: string;

  before(async () => {
    s3 = await startS3rver('portico-docs');
    client = createS3Client({ region: 'us-east-1', forcePathStyle: true }, { endpoint: s3.endpoint, credentials: s3.credentials });
    // Stands in for a running app answering GET /openapi.json.
    app = createServer((req, res) => (req.url === '/openapi.json' ? res.end(SERVED) : res.writeHead(404).end())).listen(0, '127.0.0.1');
    await once(app, 'listening');
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  after(async () => {
    app.close();
    client.destroy();
    await s3.stop();
  });

  it('uploads Swagger UI around the OpenAPI document and turns on website hosting', async () => {
    await publishDocsSite(client, s3.bucket, await docsSiteFiles(OPENAPI));
    expect(await text(client, s3.bucket, 'index.html')).to.include('<script src="swagger-ui-bundle.js"></script>');
    expect(await text(client, s3.bucket, 'init.js')).to.include("url: 'openapi.json'");
    expect(await text(client, s3.bucket, 'openapi.json')).to.equal(OPENAPI);
    expect((await text(client, s3.bucket, 'swagger-ui-bundle.js')).length).to.be.greaterThan(100_000);
    const website = await client.send(new GetBucketWebsiteCommand({ Bucket: s3.bucket }));
    expect(website.IndexDocument?.Suffix).to.equal('index.html');
  });

  describe('the command', () => {
    // Only region and path style come from our settings; the endpoint and keys reach the SDK through
    // its own standard variables, which is what this proves.
    const env = () => ({
      ...process.env,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/infrastructure/cli/docs-publish.ts', ...args], { env: env() });

    it('publishes the document a running app serves, to the endpoint named by AWS_ENDPOINT_URL_S3', async () => {
      const { stdout } = await cli('--bucket', s3.bucket, '--openapi', `${appUrl}/openapi.json`);
      expect(stdout).to.include(`to ${s3.bucket}`);
      expect(await text(client, s3.bucket, 'openapi.json')).to.equal(SERVED);
    });

    it('refuses a source that is not an OpenAPI document, and exits non-zero', async () => {
      const failure = await cli('--bucket', s3.bucket, '--openapi', 'package.json').then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).to.equal(1);
      expect(failure?.stderr).to.include('is not an OpenAPI document');
    });
  });
});
