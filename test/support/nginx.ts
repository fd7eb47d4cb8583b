import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { requireService } from './services.js';
import { startChild, type Child } from './start-child.js';

/** A free loopback port: one the kernel hands out now, closed again for the caller to listen on. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Nginx {
  url: string;
  /** nginx's error log so far (a refused upstream, a retry on the next one). */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * Debian's nginx (npm run services installs it) on a free loopback port, in the foreground, balancing
 * round robin over `upstreams` with no keep-alive to them: a request to an instance that has stopped
 * listening is refused before anything is sent, and nginx passes it to the next one, POSTs included.
 * Everything it writes lives in a temp dir removed on stop.
 */
export async function startNginx(ctx: Mocha.Context, upstreams: number[]): Promise<Nginx> {
  const binary = requireService(ctx, 'NGINX', 'nginx (the binary only)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portico-nginx-'));
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, sub));
  const port = await freePort();
  const servers = upstreams.map((p) => `server 127.0.0.1:${p} max_fails=0;`).join(' ');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `${kind}_temp_path ${dir}/${kind === 'client_body' ? 'body' : kind};`)
    .join(' ');
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off; ${temp}
  client_max_body_size 0;
  upstream portico { ${servers} }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://portico;
      proxy_http_version 1.1;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
    }
  }
}
`,
  );
  const child: Child = startChild(binary, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {}, { limitMs: 600_000 });
  await waitForPort(port, child);
  return {
    url: `http://127.0.0.1:${port}`,
    errors: () => readFileSync(path.join(dir, 'error.log'), 'utf8'),
    stop: async () => {
      child.kill('SIGQUIT');
      await child.finished;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: Child): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on ${port}:\n${child.output()}`);
}
