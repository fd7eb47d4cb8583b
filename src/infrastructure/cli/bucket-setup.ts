import { setUpBucket } from '../../adapters/files/s3/s3-bucket-setup.js';
import { createS3Client } from '../../adapters/files/s3/s3-client.js';
import { isAccessPointArn } from '../../adapters/files/s3/s3-requests.js';
import { readEnv } from '../config.js';
import { parseFilesConfig } from '../files-config.js';

const USAGE = 'usage: npm run bucket:setup [-- --bucket <name>]   (default: S3_BUCKET)';

/** Applies versioning, default encryption, lifecycle, CORS and object-lock retention; safe to run again. */
async function main(args: string[]): Promise<void> {
  const flag = args.indexOf('--bucket');
  if (args.length > 0 && (flag !== 0 || args.length !== 2)) throw new Error(USAGE);
  const config = parseFilesConfig(readEnv());
  const bucket = flag === 0 ? args[1] : config.s3.bucket;
  if (!bucket) throw new Error(`S3_BUCKET is not set\n${USAGE}`);
  // Bucket settings live on the bucket itself; an access point cannot take them.
  if (isAccessPointArn(bucket)) throw new Error(`S3_BUCKET is an access-point ARN; pass the bucket's name\n${USAGE}`);
  const client = createS3Client({ region: config.s3.region, forcePathStyle: config.s3.forcePathStyle });
  try {
    const { sse, lifecycle, corsOrigins, lock } = config.s3;
    for (const line of await setUpBucket(client, { bucket, sse, lifecycle, corsOrigins, lock })) console.log(line);
    console.log(`bucket ${bucket}: set up`);
  } finally {
    client.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
