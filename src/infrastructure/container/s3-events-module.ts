import { ContainerModule } from 'inversify';
import { RecordObjectCreated } from '../../application/files/record-object-created.js';
import { RecordObjectRemoved } from '../../application/files/record-object-removed.js';
import type { Config } from '../config.js';
import { TOKENS as T } from './tokens.js';

/**
 * What the S3 event worker runs on besides the files module: the SQS client and the two use cases a
 * notification maps to. No routes. The client is imported when first resolved, so the server never loads it.
 */
export function s3EventsModule(config: Config): ContainerModule {
  const { region } = config.files.s3;
  return new ContainerModule(({ bind }) => {
    bind(T.SqsClient)
      .toResolvedValue(async () => (await import('../../adapters/events/sqs-client.js')).createSqsClient({ region }))
      .onDeactivation((client) => client.destroy());
    const ports = [T.FileCatalog, T.FileStore, T.Clock] as const;
    bind(RecordObjectCreated).toResolvedValue((...a) => new RecordObjectCreated(...a), [...ports]);
    bind(RecordObjectRemoved).toResolvedValue((...a) => new RecordObjectRemoved(...a), [...ports]);
  });
}
