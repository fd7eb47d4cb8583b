import { setUpBucket } from '../../adapters/files/s3/s3-bucket-setup.js';
import { isAccessPointArn } from '../../adapters/files/s3/s3-requests.js';
import { TOKENS as T } from '../container/tokens.js';
import { loadCliConfig, parseCliArgs, runCli, UsageError, withContainer } from './run-cli.js';

const USAGE = `usage: npm run bucket:setup [-- --bucket <name>]   (default: S3_BUCKET)
Applies versioning, default encryption, lifecycle tiers, CORS and object-lock retention from the
configured S3_* settings (with SECRETS_SOURCE=ssm, the stage tree's); safe to run again.`;

/** Applies versioning, default encryption, lifecycle, CORS and object-lock retention; safe to run again. */
async function main(args: string[]): Promise<void> {
  const { values } = parseCliArgs(args, { bucket: { type: 'string' } });
  const config = await loadCliConfig();
  const bucket = values.bucket ?? config.files.s3.bucket;
  if (!bucket) throw new UsageError('no bucket: pass --bucket or set S3_BUCKET');
  // Bucket settings live on the bucket itself; an access point cannot take them.
  if (isAccessPointArn(bucket))
    throw new UsageError("an access-point ARN takes no bucket settings; pass the bucket's name");
  const { sse, lifecycle, corsOrigins, lock } = config.files.s3;
  await withContainer(config, async (container) => {
    const client = await container.getAsync(T.S3Client);
    for (const line of await setUpBucket(client, { bucket, sse, lifecycle, corsOrigins, lock })) console.log(line);
  });
  console.log(`bucket ${bucket}: set up`);
}

runCli(USAGE, main);
