import { spawn } from 'node:child_process';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr, interleaved as they came. */
  output: string;
}

export interface Child {
  /** Resolves with the first match in the output so far or to come; rejects if the process ends first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** stdout and stderr so far, interleaved as they came. */
  output(): string;
  /** The JSON records written to stdout so far, one a line, in order: what the server logged. */
  records<T = Record<string, unknown>>(): T[];
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
    cwd: new URL('../..', import.meta.url),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let output = '';
  let closed = false;
  const watchers = new Set<() => void>();
  const seen = (chunk: Buffer, isStdout: boolean) => {
    if (isStdout) stdout += chunk.toString();
    else stderr += chunk.toString();
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
      resolve({ code, signal, stdout, stderr, output });
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
  // The last line is left out until its newline comes: it may be half written.
  const records = <T>() =>
    stdout
      .split('\n')
      .slice(0, -1)
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as T);
  return { waitFor, output: () => output, records, finished, kill: (signal) => child.kill(signal) };
}

/** `src/main.ts` as `npm start` runs it, in a process of its own (see startChild). */
export const startMain = (env: Record<string, string>, options: { limitMs?: number } = {}): Child =>
  startChild(process.execPath, ['--import', 'tsx', 'src/main.ts'], env, options);

/** The port the server says it listens on, once it does; rejects if the process ends first. */
export const listeningPort = async (child: Child): Promise<number> =>
  Number((await child.waitFor(/"port":(\d+)[^\n]*"msg":"listening"/))[1]);
