import { expect } from 'chai';
import path from 'node:path';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { configErrorOf } from '../../../support/config-error-of.js';

const MIB = 1024 * 1024;
const files = (source: Record<string, string>) => parseConfig(source).files;
const problemsOf = (source: Record<string, string>) => configErrorOf(source).problems;

describe('file settings', () => {
  it('defaults to the local-disk store under DATA_DIR/files with the documented limits', () => {
    const config = files({ DATA_DIR: '/srv/portico' });
    expect(config.store).to.equal('local');
    expect(config.dir).to.equal(path.resolve('/srv/portico/files'));
    expect(config.maxUploadBytes).to.equal(5 * 1024 * MIB);
    expect(config.multipart).to.deep.equal({ thresholdBytes: 100 * MIB, partBytes: 5 * MIB, queueSize: 4 });
    expect([config.presignMaxSeconds, config.deleteConcurrency]).to.deep.equal([900, 8]);
    expect(config.s3.sse).to.deep.equal({ mode: 'AES256', kmsKeyId: undefined });
    expect(config.s3.lifecycle).to.deep.equal({
      standardIa: 730,
      glacier: 2920,
      deepArchive: 5475,
      abortMultipart: 7,
      noncurrentExpire: 30,
    });
    expect(config.s3.lock).to.deep.equal({ mode: 'GOVERNANCE', days: undefined });
  });

  it('reads the S3 settings', () => {
    const config = files({
      FILE_STORE: 's3',
      S3_BUCKET: 'arn:aws:s3:eu-west-1:123456789012:accesspoint/files',
      S3_REGION: 'eu-west-1',
      S3_SSE: 'aws:kms',
      S3_SSE_KMS_KEY_ID: 'alias/files',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(config.s3).to.deep.include({
      bucket: 'arn:aws:s3:eu-west-1:123456789012:accesspoint/files',
      region: 'eu-west-1',
      forcePathStyle: false,
    });
    expect(config.s3.sse).to.deep.equal({ mode: 'aws:kms', kmsKeyId: 'alias/files' });
    expect(config.s3.corsOrigins).to.deep.equal(['https://a.example', 'https://b.example']);
  });

  it('turns server-side encryption headers off with S3_SSE=none', () => {
    expect(files({ S3_SSE: 'none' }).s3.sse).to.equal(undefined);
  });

  it('lists every bad setting by name, never its value', () => {
    const problems = problemsOf({
      FILE_STORE: 's3',
      MULTIPART_PART_BYTES: String(MIB),
      S3_SSE_KMS_KEY_ID: 'secret-looking-key',
      FILE_URL_SECRET: 'short',
      PRESIGN_MAX_SECONDS: '0',
    });
    expect(problems.map((p) => p.split(':')[0])).to.have.members([
      'S3_BUCKET',
      'MULTIPART_PART_BYTES',
      'S3_SSE_KMS_KEY_ID',
      'FILE_URL_SECRET',
      'PRESIGN_MAX_SECONDS',
    ]);
    expect(problems.join('\n')).to.not.include('secret-looking-key');
  });

  it('refuses part sizes that would need more than 10000 parts for the largest upload', () => {
    const problems = problemsOf({ MAX_UPLOAD_BYTES: String(100_000 * MIB), MULTIPART_PART_BYTES: String(5 * MIB) });
    expect(problems.join()).to.include('MULTIPART_PART_BYTES');
  });

  it('refuses lifecycle transitions out of order, and path-style addressing with an access point', () => {
    expect(problemsOf({ S3_LIFECYCLE_GLACIER_DAYS: '100' }).join()).to.include('S3_LIFECYCLE_GLACIER_DAYS');
    expect(problemsOf({ S3_LIFECYCLE_STANDARD_IA_DAYS: '10' })).to.deep.equal([
      'S3_LIFECYCLE_STANDARD_IA_DAYS: S3 needs at least 30',
    ]);
    expect(
      files({ S3_LIFECYCLE_STANDARD_IA_DAYS: '0', S3_LIFECYCLE_GLACIER_DAYS: '100' }).s3.lifecycle.standardIa,
    ).to.equal(0);
    expect(
      problemsOf({ S3_BUCKET: 'arn:aws:s3:eu-west-1:1:accesspoint/x', S3_FORCE_PATH_STYLE: 'true' }).join(),
    ).to.include('S3_FORCE_PATH_STYLE');
  });

  it('sweeps uploads abandoned for 24 hours, every hour, by default; 0 minutes turns the timer off', () => {
    expect(files({}).abandonedUploads).to.deep.equal({ abandonAfterHours: 24, sweepIntervalMinutes: 60 });
    const set = files({ UPLOAD_ABANDON_AFTER_HOURS: '72', UPLOAD_SWEEP_INTERVAL_MINUTES: '0' });
    expect(set.abandonedUploads).to.deep.equal({ abandonAfterHours: 72, sweepIntervalMinutes: 0 });
  });

  it('refuses an abandon age that is not whole hours, or no longer than a pre-signed link lives', () => {
    for (const hours of ['0', '1.5', 'soon', '8761'])
      expect(problemsOf({ UPLOAD_ABANDON_AFTER_HOURS: hours }).join(), hours).to.include('UPLOAD_ABANDON_AFTER_HOURS');
    const problems = problemsOf({ UPLOAD_ABANDON_AFTER_HOURS: '1', PRESIGN_MAX_SECONDS: '3600' });
    expect(problems).to.deep.equal(['UPLOAD_ABANDON_AFTER_HOURS: must be longer than PRESIGN_MAX_SECONDS']);
    expect(
      files({ UPLOAD_ABANDON_AFTER_HOURS: '2', PRESIGN_MAX_SECONDS: '3600' }).abandonedUploads.abandonAfterHours,
    ).to.equal(2);
    // Unset, it outlives the links: a week-long PRESIGN_MAX_SECONDS keeps booting.
    expect(files({ PRESIGN_MAX_SECONDS: '604800' }).abandonedUploads.abandonAfterHours).to.equal(169);
    expect(problemsOf({ UPLOAD_SWEEP_INTERVAL_MINUTES: '-1' }).join()).to.include('UPLOAD_SWEEP_INTERVAL_MINUTES');
  });
});
