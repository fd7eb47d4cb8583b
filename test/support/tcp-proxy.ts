import net from 'node:net';

interface Link {
  client: net.Socket;
  upstream?: net.Socket;
}

/**
 * A loopback TCP proxy in front of a real server, for fault tests. `cut()` is a lost server: every
 * open connection is reset and new ones are refused. `stall()` is a black hole: connections stay
 * open (and new ones are accepted) but no byte moves in either direction. `restore()` ends
 * either; stalled bytes then flow on as if the network had only been slow.
 */
export class TcpProxy {
  private readonly links = new Set<Link>();
  private server: net.Server;
  private stalled = false;
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = this.listener();
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.listen(0);
    return proxy;
  }

  /** A proxy in front of the server at `url` (its host and port; the scheme is the client's business). */
  static inFrontOf(url: string): Promise<TcpProxy> {
    const { hostname, port } = new URL(url);
    return TcpProxy.start({ host: hostname, port: Number(port) });
  }

  /** Connections currently open through the proxy. */
  get connections(): number {
    return this.links.size;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const link of this.links) this.drop(link);
    await closed;
  }

  stall(): void {
    this.stalled = true;
    for (const link of this.links) this.pause(link);
  }

  async restore(): Promise<void> {
    if (this.stalled) {
      this.stalled = false;
      for (const link of this.links) this.resume(link);
    }
    if (!this.server.listening) {
      this.server = this.listener();
      await this.listen(this.port);
    }
  }

  async close(): Promise<void> {
    await this.cut().catch(() => undefined);
  }

  private listener(): net.Server {
    return net.createServer((client) => this.accept(client));
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private accept(client: net.Socket): void {
    const link: Link = { client };
    this.links.add(link);
    client.on('error', () => this.drop(link));
    client.on('close', () => this.drop(link));
    const upstream = net.connect(this.target.port, this.target.host);
    link.upstream = upstream;
    upstream.on('error', () => this.drop(link));
    upstream.on('close', () => this.drop(link));
    if (!this.stalled) this.resume(link);
  }

  // pause() alone does not stop a piped stream: the pipe would resume it on the next drain.
  private pause(link: Link): void {
    link.client.unpipe();
    link.upstream?.unpipe();
    link.client.pause();
    link.upstream?.pause();
  }

  private resume(link: Link): void {
    if (!link.upstream) return;
    // pipe() resumes each source, so bytes held while stalled flow on.
    link.client.pipe(link.upstream);
    link.upstream.pipe(link.client);
  }

  private drop(link: Link): void {
    if (!this.links.delete(link)) return;
    link.client.resetAndDestroy();
    link.upstream?.destroy();
  }
}
