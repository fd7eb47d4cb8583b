import { expect } from 'chai';
import {
  corsRules,
  encryptionConfiguration,
  hasDefaultRetention,
  lifecycleRules,
  objectLockConfiguration,
} from '../../../../../src/adapters/files/s3/bucket-settings.js';

const defaults = { standardIa: 730, glacier: 2920, deepArchive: 5475, abortMultipart: 7, noncurrentExpire: 30 };

describe('bucket settings', () => {
  it('moves files to STANDARD_IA, GLACIER and DEEP_ARCHIVE after 2, 8 and 15 years by default', () => {
    const tiering = lifecycleRules(defaults).find((r) => r.ID === 'portico-files-tiering');
    expect(tiering?.Filter).to.deep.equal({ Prefix: 'files/' });
    expect(tiering?.Transitions).to.deep.equal([
      { Days: 730, StorageClass: 'STANDARD_IA' },
      { Days: 2920, StorageClass: 'GLACIER' },
      { Days: 5475, StorageClass: 'DEEP_ARCHIVE' },
    ]);
  });

  it('aborts incomplete multipart uploads anywhere in the bucket after 7 days', () => {
    const abort = lifecycleRules(defaults).find((r) => r.ID === 'portico-abort-incomplete-multipart');
    expect(abort).to.deep.include({
      Status: 'Enabled',
      Filter: { Prefix: '' },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    });
  });

  it('purges replaced and deleted versions after the configured days, and the delete markers left behind', () => {
    const purge = lifecycleRules(defaults).find((r) => r.ID === 'portico-expire-noncurrent-versions');
    expect(purge?.NoncurrentVersionExpiration).to.deep.equal({ NoncurrentDays: 30 });
    expect(purge?.Expiration).to.deep.equal({ ExpiredObjectDeleteMarker: true });
  });

  it('leaves out a step set to 0 days', () => {
    const rules = lifecycleRules({ ...defaults, glacier: 0, noncurrentExpire: 0 });
    expect(rules.map((r) => r.ID)).to.deep.equal(['portico-abort-incomplete-multipart', 'portico-files-tiering']);
    expect(rules[1]?.Transitions?.map((t) => t.StorageClass)).to.deep.equal(['STANDARD_IA', 'DEEP_ARCHIVE']);
  });

  it('lets the configured origins PUT and GET, and exposes ETag so a browser can complete a multipart upload', () => {
    const [rule] = corsRules(['https://app.example.com']);
    expect(rule).to.deep.include({
      AllowedOrigins: ['https://app.example.com'],
      AllowedMethods: ['GET', 'HEAD', 'PUT'],
    });
    expect(rule?.ExposeHeaders).to.include('ETag');
  });

  it('encrypts by default with AES256, or with the KMS key and a bucket key', () => {
    expect(encryptionConfiguration(undefined).Rules?.[0]).to.deep.equal({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
      BucketKeyEnabled: false,
    });
    expect(encryptionConfiguration({ mode: 'aws:kms', kmsKeyId: 'key-1' }).Rules?.[0]).to.deep.equal({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'key-1' },
      BucketKeyEnabled: true,
    });
  });

  it('builds a default retention and recognises one that is already in place', () => {
    const wanted = { mode: 'GOVERNANCE' as const, days: 30 };
    const config = objectLockConfiguration(wanted);
    expect(config).to.deep.equal({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
    expect(hasDefaultRetention(config, wanted)).to.equal(true);
    expect(hasDefaultRetention(config, { mode: 'COMPLIANCE', days: 30 })).to.equal(false);
    expect(hasDefaultRetention({ ObjectLockEnabled: 'Enabled' }, wanted)).to.equal(false);
  });
});
