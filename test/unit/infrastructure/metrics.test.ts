import { expect } from 'chai';
import { createMetrics } from '../../../src/infrastructure/metrics.js';

describe('the failed-mail gauge', () => {
  it('reports the queue’s failed messages at scrape time, and the last count when the store cannot answer', async () => {
    let answer: () => Promise<number> = async () => 3;
    const metrics = createMetrics({ clustered: false, failedMail: () => answer() });
    expect((await metrics.render()).body).to.match(/^mail_failed_messages 3$/m);
    answer = () => Promise.reject(new Error('database down'));
    expect((await metrics.render()).body).to.match(/^mail_failed_messages 3$/m);
  });

  it('is absent when there is no queue to ask', async () => {
    expect((await createMetrics({ clustered: false }).render()).body).to.not.include('mail_failed_messages');
  });
});
