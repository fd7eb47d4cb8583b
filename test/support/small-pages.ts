import type { S3Client } from '@aws-sdk/client-s3';

/**
 * Makes every `command` this client sends ask for `size` entries a page (in the input's `field`), so a
 * listing of a few takes several pages; `pages` counts the requests.
 */
export function smallPages(client: S3Client, command: string, field: string, size: number): { pages: number } {
  const seen = { pages: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command) {
        (args.input as Record<string, unknown>)[field] = size;
        seen.pages += 1;
      }
      return next(args);
    },
    { step: 'initialize' },
  );
  return seen;
}
