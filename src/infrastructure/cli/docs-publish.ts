import { readFile } from 'node:fs/promises';
import { docsSiteFiles, publishDocsSite } from '../../adapters/files/s3/s3-docs-site.js';
import { TOKENS as T } from '../container/tokens.js';
import { loadCliConfig, parseCliArgs, runCli, UsageError, withContainer } from './run-cli.js';

const USAGE = `usage: npm run docs:publish -- --bucket <website bucket> [--openapi <path | http(s) URL>]
Publishes Swagger UI and the OpenAPI document (default: http://localhost:3000/openapi.json) to a
static-website bucket, with the configured S3_* settings.`;

/** The document from a file, or from a running app's `/openapi.json`; checked to be an OpenAPI document. */
async function loadOpenApi(source: string): Promise<string> {
  let text: string;
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`${source} answered ${response.status}`);
    text = await response.text();
  } else {
    text = await readFile(source, 'utf8');
  }
  const document = JSON.parse(text) as { openapi?: unknown };
  if (typeof document.openapi !== 'string') throw new Error(`${source} is not an OpenAPI document`);
  return text;
}

async function main(args: string[]): Promise<void> {
  const { values } = parseCliArgs(args, { bucket: { type: 'string' }, openapi: { type: 'string' } });
  const bucket = values.bucket;
  if (!bucket) throw new UsageError('--bucket is required');
  const source = values.openapi ?? 'http://localhost:3000/openapi.json';
  const config = await loadCliConfig();
  const files = await docsSiteFiles(await loadOpenApi(source));
  await withContainer(config, async (c) => publishDocsSite(await c.getAsync(T.S3Client), bucket, files));
  console.log(`published ${files.map((f) => f.key).join(', ')} to ${bucket}; website hosting on (index.html)`);
}

runCli(USAGE, main);
