import { expect } from 'chai';
import nock from 'nock';
import { v7 } from 'uuid';
import { createS3Client } from '../../src/adapters/files/s3/s3-client.js';
import { FileKey } from '../../src/domain/file/file-key.js';

/** An S3 endpoint that exists only in nock; anything not expected fails the request. */
export const FAKE_S3 = 'http://s3.nock.test';
export const BUCKET = 'portico';

/** Query keys that select a different operation on the same path; paging and ids do not. */
const SUBRESOURCES = new Set([
  'uploads',
  'uploadId',
  'partNumber',
  'legal-hold',
  'retention',
  'versions',
  'versioning',
  'encryption',
  'lifecycle',
  'cors',
  'object-lock',
  'website',
]);

export interface SeenRequest {
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** As nock hands it over: text, or hex for binary bodies. */
  body: string;
}

export type Reply = [status: number, body?: string, headers?: Record<string, string>];

export const fakeS3Client = () =>
  createS3Client(
    { region: 'us-east-1', forcePathStyle: true },
    // nock never answers `Expect: 100-continue`, so the SDK would wait 6 s before sending each large body.
    {
      endpoint: FAKE_S3,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      expectContinueHeader: false,
    },
  );

/** S3's answer to CreateMultipartUpload, naming upload `u1`. */
export const multipartCreated: Reply = [
  200,
  '<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>',
];

/** S3's answer to CompleteMultipartUpload, with the ETag `whole-3`. */
export const multipartCompleted: Reply = [
  200,
  '<CompleteMultipartUploadResult><ETag>"whole-3"</ETag></CompleteMultipartUploadResult>',
];

export const xmlError = (status: number, code: string, message = code): Reply => [
  status,
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  { 'content-type': 'application/xml' },
];

/**
 * Expects `times` requests of one kind (method, path, and which query keys are present) and records
 * each as sent; `reply` may answer differently per attempt (0-based).
 */
export function expectS3(
  method: string,
  path: string,
  queryKeys: string[],
  reply: (attempt: number, seen: SeenRequest) => Reply,
  times = 1,
  origin = FAKE_S3,
) {
  const seen: SeenRequest[] = [];
  nock(origin)
    .intercept(path, method)
    .query(
      (q) =>
        queryKeys.every((k) => k in q) && Object.keys(q).every((k) => queryKeys.includes(k) || !SUBRESOURCES.has(k)),
    )
    .times(times)
    .reply(function (uri, body) {
      const url = new URL(uri, origin);
      const request = {
        path: url.pathname,
        query: url.searchParams,
        headers: this.req.headers,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      };
      seen.push(request);
      return reply(seen.length - 1, request);
    });
  return seen;
}

/**
 * For a describe block on the nock S3: only loopback may be reached, each test gets a fresh key (and
 * its path), and interceptors are cleared after each; with `expectAllSent`, one left unused fails it.
 */
export function useFakeS3Key(options: { expectAllSent?: boolean } = {}): { key: FileKey; path: string } {
  const current = {} as { key: FileKey; path: string };
  before(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  beforeEach(() => {
    current.key = FileKey.for(v7(), v7());
    current.path = `/${BUCKET}/${current.key.value}`;
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    if (options.expectAllSent) expect(pending, 'requests the adapter should have sent').to.deep.equal([]);
  });
  after(() => nock.enableNetConnect());
  return current;
}
