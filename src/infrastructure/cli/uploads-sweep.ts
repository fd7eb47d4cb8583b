import { SweepAbandonedUploads } from '../../application/files/sweep-abandoned-uploads.js';
import { loadCliConfig, parseCliArgs, runCli, withContainer } from './run-cli.js';

const USAGE = `usage: npm run uploads:sweep
Removes the direct uploads still pending UPLOAD_ABANDON_AFTER_HOURS (default 24) after they
started: their multipart uploads and parts, any object a PUT left, and their rows; then the local
disk's part directories that no pending upload leads to. The server does the same every
UPLOAD_SWEEP_INTERVAL_MINUTES. The database and file store are the configured ones (with
SECRETS_SOURCE=ssm, the stage tree's); safe to run at any time, and again.`;

/** One sweep through the same composition root the server builds; exits 1 if anything could not be removed. */
async function main(args: string[]): Promise<void> {
  parseCliArgs(args, {});
  const config = await loadCliConfig();
  if (config.db.driver === 'memory') console.log('DB_DRIVER=memory: nothing outlives a process, so nothing is pending');
  await withContainer(config, async (container) => {
    const report = await (await container.getAsync(SweepAbandonedUploads)).execute();
    const hours = config.files.abandonedUploads.abandonAfterHours;
    const removed = `removed ${report.files} uploads pending for over ${hours} h and ${report.leftovers} store uploads no pending file led to`;
    console.log(`${config.db.driver}, ${config.files.store} store: ${removed}`);
    for (const failure of report.failures)
      console.error(`not removed: ${failure instanceof Error ? failure.message : String(failure)}`);
    if (report.failures.length > 0) throw new Error(`${report.failures.length} could not be removed; run again later`);
  });
}

runCli(USAGE, main);
