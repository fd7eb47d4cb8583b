import { spawn } from 'node:child_process';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** stdout and stderr, interleaved as they came. */
  output: string;
}

export interface Child {
  /** Resolves with the first match in the output so far or to come; rejects if the process ends first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  finished: Promise<Finished>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * A command run from the project root with only `env` (plus PATH and HOME): nothing of this process's
 * environment, the AWS settings least of all, reaches it unless passed. Killed after `limitMs` whatever happens.
 */
export function startChild(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { stdin?: string; limitMs?: number } = {},
): Child {
  const child = spawn(command, args, {
    cwd: new URL('../../..', import.meta.url),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let output = '';
  let closed = false;
  const watchers = new Set<() => void>();
  const seen = (chunk: Buffer, isStdout: boolean) => {
    if (isStdout) stdout += chunk.toString();
    output += chunk.toString();
    for (const check of watchers) check();
  };
  child.stdout.on('data', (chunk: Buffer) => seen(chunk, true));
  child.stderr.on('data', (chunk: Buffer) => seen(chunk, false));
  child.stdin.end(options.stdin ?? '');
  const killer = setTimeout(() => child.kill('SIGKILL'), options.limitMs ?? 15_000);
  const finished = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      closed = true;
      for (const check of watchers) check();
      resolve({ code, signal, stdout, output });
    }),
  );

  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (match) resolve(match);
        else if (closed) reject(new Error(`exited before ${pattern}:\n${output}`));
        else return;
        watchers.delete(check);
      };
      watchers.add(check);
      check();
    });
  return { waitFor, finished, kill: (signal) => child.kill(signal) };
}
