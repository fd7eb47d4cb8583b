import { invalid } from '../../domain/errors.js';

/**
 * `returnTo` as a URL of the client app: the same origin as PUBLIC_APP_URL and at or under its
 * path, without credentials. Anything else could send the one-time code to another site.
 */
export function appUrlFor(returnTo: string, publicAppUrl: string): URL {
  const app = new URL(`${publicAppUrl}/`);
  const url = URL.canParse(returnTo) ? new URL(returnTo) : null;
  const inside =
    url !== null &&
    url.origin === app.origin &&
    !url.username &&
    !url.password &&
    (url.pathname === app.pathname.slice(0, -1) || url.pathname.startsWith(app.pathname));
  if (!inside) {
    throw invalid('returnTo is not a page of the app.', [
      { path: 'returnTo', message: 'must be a URL under PUBLIC_APP_URL' },
    ]);
  }
  url.hash = '';
  return url;
}

/** `url` with `name=value` set (replacing any such parameter it had). */
export function withParameter(url: string, name: string, value: string): string {
  const target = new URL(url);
  target.searchParams.set(name, value);
  return target.href;
}
