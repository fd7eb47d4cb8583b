import { readFile } from 'node:fs/promises';
import { createS3Client } from '../../adapters/files/s3/s3-client.js';
import { docsSiteFiles, publishDocsSite } from '../../adapters/files/s3/s3-docs-site.js';
import { readEnv } from '../config.js';
import { parseFilesConfig } from '../files-config.js';

const USAGE = 'usage: npm run docs:publish -- --bucket <website bucket> [--openapi <path | http(s) URL>]   (default URL: http://localhost:3000/openapi.json)';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

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
  const bucket = option(args, '--bucket');
  if (!bucket) throw new Error(USAGE);
  const source = option(args, '--openapi') ?? 'http://localhost:3000/openapi.json';
  const config = parseFilesConfig(readEnv());
  const client = createS3Client({ region: config.s3.region, forcePathStyle: config.s3.forcePathStyle });
  try {
    const files = await docsSiteFiles(await loadOpenApi(source));
    await publishDocsSite(client, bucket, files);
    console.log(`published ${files.map((f) => f.key).join(', ')} to ${bucket}; website hosting on (index.html)`);
  } finally {
    client.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
