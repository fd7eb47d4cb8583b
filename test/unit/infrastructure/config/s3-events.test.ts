import { expect } from 'chai';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { namesRefused } from '../../../support/config-error-of.js';

describe('config: the S3 event worker (S3_EVENTS_*, WORKER, WORKER_PORT)', () => {
  it('has defaults that need nothing set, and no queue', () => {
    expect(parseConfig({}).s3Events).to.deep.equal({
      worker: undefined,
      queueUrl: undefined,
      maxReceives: 5,
      visibilityTimeoutSeconds: 60,
      retryDelaySeconds: 30,
      waitSeconds: 20,
      batchSize: 10,
      statusPort: 3001,
    });
  });

  it('reads every setting', () => {
    const env = {
      WORKER: 's3-events',
      S3_EVENTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/portico-events',
      S3_EVENTS_MAX_RECEIVES: '3',
      S3_EVENTS_VISIBILITY_TIMEOUT_S: '120',
      S3_EVENTS_RETRY_DELAY_S: '10',
      S3_EVENTS_WAIT_S: '5',
      S3_EVENTS_BATCH: '4',
      WORKER_PORT: '9100',
    };
    expect(parseConfig(env).s3Events).to.deep.equal({
      worker: 's3-events',
      queueUrl: env.S3_EVENTS_QUEUE_URL,
      maxReceives: 3,
      visibilityTimeoutSeconds: 120,
      retryDelaySeconds: 10,
      waitSeconds: 5,
      batchSize: 4,
      statusPort: 9100,
    });
  });

  it('refuses a worker without a queue, a retry delay past the visibility timeout, and values out of range', () => {
    expect(namesRefused({ WORKER: 's3-events' })).to.deep.equal(['S3_EVENTS_QUEUE_URL']);
    expect(namesRefused({ S3_EVENTS_RETRY_DELAY_S: '61' })).to.deep.equal(['S3_EVENTS_RETRY_DELAY_S']);
    expect(
      namesRefused({
        WORKER: 'mail',
        S3_EVENTS_QUEUE_URL: 'sqs://queue',
        S3_EVENTS_WAIT_S: '21',
        S3_EVENTS_BATCH: '11',
        S3_EVENTS_MAX_RECEIVES: '0',
      }).sort(),
    ).to.deep.equal(['S3_EVENTS_BATCH', 'S3_EVENTS_MAX_RECEIVES', 'S3_EVENTS_QUEUE_URL', 'S3_EVENTS_WAIT_S', 'WORKER']);
  });
});
