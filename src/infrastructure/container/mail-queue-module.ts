import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { DeliverQueuedMail } from '../../application/mail/deliver-queued-mail.js';
import type { Config } from '../config.js';
import { scheduleMailSending } from './mail-send-schedule.js';
import { TOKENS as T } from './tokens.js';

/**
 * The sender loop over the MailQueue (bound by the persistence module) and the Mailer (the mail
 * module). It is a background job, so only a server process (composeApp) starts it, each worker its
 * own; claims keep them from sending a message twice.
 */
export function mailQueueModule(config: Config, logger: Logger): ContainerModule {
  const { mailQueue } = config;
  const settings = {
    owner: `${os.hostname()}:${process.pid}:${randomUUID()}`,
    batchSize: mailQueue.batchSize,
    claimTtlMs: mailQueue.claimTtlMs,
    maxAttempts: mailQueue.maxAttempts,
    baseDelayMs: mailQueue.baseDelayMs,
    maxDelayMs: mailQueue.maxDelayMs,
  };
  return new ContainerModule(({ bind }) => {
    bind(DeliverQueuedMail).toResolvedValue(
      (queue, mailer, clock) => new DeliverQueuedMail(queue, mailer, clock, settings),
      [T.MailQueue, T.Mailer, T.Clock],
    );
    bind(T.BackgroundJobs)
      .toResolvedValue((d) => scheduleMailSending(d, mailQueue.sendIntervalMs, logger), [DeliverQueuedMail])
      .onDeactivation((job) => job.stop());
  });
}
