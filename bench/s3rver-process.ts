// A local S3 server (s3rver) in a process of its own, so its CPU shows apart from the app's and
// the client's. Started by bench/upload.ts; prints its endpoint and bucket as one JSON line.
import { startS3rver } from '../test/support/s3rver.js';

const s3 = await startS3rver('portico-bench');
process.stdout.write(`${JSON.stringify({ endpoint: s3.endpoint, bucket: s3.bucket })}\n`);
const stop = () => void s3.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
