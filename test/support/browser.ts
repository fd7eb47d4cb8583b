/**
 * A browser as far as a redirect flow needs one: follows redirects one by one (fetch with
 * `redirect: 'manual'`), keeps cookies by name (paths and domains ignored: the test's hosts are
 * few and their cookie names distinct), and maps public origins the app was configured with to
 * where the test runs them (`http://api.portico.test` -> the app's loopback URL).
 */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly hosts: Record<string, string> = {}) {}

  private resolve(url: string): string {
    for (const [publicOrigin, local] of Object.entries(this.hosts)) {
      if (url.startsWith(publicOrigin)) return local + url.slice(publicOrigin.length);
    }
    return url;
  }

  /** One request; cookies it sets are kept (`Max-Age=0` removes one). */
  async get(url: string): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(this.resolve(url), {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      const expired = attributes.some((a) => /^max-age=0$/i.test(a) || /^expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /**
   * Follows redirects from `url` until one leads to a URL starting with `stopAt` (not requested)
   * or a response is not a redirect. Returns that URL, or that response.
   */
  async follow(url: string, stopAt: string, limit = 20): Promise<{ url: string; response?: Response }> {
    let next = url;
    for (let i = 0; i < limit; i++) {
      if (next.startsWith(stopAt)) return { url: next };
      const response = await this.get(next);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url: next, response };
      next = new URL(location, this.resolve(next)).href;
      next = this.publicOf(next);
    }
    throw new Error(`more than ${limit} redirects from ${url}`);
  }

  /** A URL on a local address, written back with the public origin it stands for. */
  private publicOf(url: string): string {
    for (const [publicOrigin, local] of Object.entries(this.hosts)) {
      if (url.startsWith(local)) return publicOrigin + url.slice(local.length);
    }
    return url;
  }
}
